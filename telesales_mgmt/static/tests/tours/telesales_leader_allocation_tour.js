import { registry } from "@web/core/registry";
import { openApp, openMenu, pickMany2one, saveForm } from "./telesales_tour_utils";

/** A team leader previews the allocation of the team's new leads, applies it, then moves
 * one lead to another agent of the team (R-LEAD-2, R-LEAD-6). */
registry.category("web_tour.tours").add("telesales_leader_allocation_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        ...openMenu("menu_telesales_leads_root", "menu_telesales_allocate"),
        {
            content: "A leader allocates their own team's leads: the team is filled in",
            trigger: ".o_form_view .o_field_widget[name='team_id'] input:value('Tour Team')",
        },
        ...saveForm(),
        {
            content: "The preview shares the four leads between the two agents",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('Tour Agent One')",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:contains('Tour Agent Two')",
        },
        {
            content: "Nobody else in the preview",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:count(2)",
        },
        {
            trigger: ".o_field_widget[name='lead_count']:contains('4')",
        },
        {
            content: "Nothing changed yet: apply the preview",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='preview']",
        },
        {
            trigger: ".o_form_view button[name='action_apply']",
            run: "click",
        },
        {
            content: "Applied",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='done']",
        },
        {
            content: "Nothing skipped",
            trigger: ".o_field_widget[name='skipped_count']:contains('0')",
        },
        // Move one of the leads to the third agent.
        ...openMenu("menu_telesales_leads_root", "menu_telesales_leads"),
        {
            content: "Search the lead",
            trigger: ".o_control_panel .o_searchview_input",
            run: "edit Tour Lead Alpha",
        },
        {
            trigger: ".o_searchview_autocomplete .o-dropdown-item:contains('Tour Lead Alpha')",
        },
        {
            trigger: ".o_control_panel .o_searchview_input",
            run: "press Enter",
        },
        {
            trigger: ".o_searchview_facet:contains('Tour Lead Alpha')",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:only td[name='name']:contains('Tour Lead Alpha'), .o_kanban_record:only:contains('Tour Lead Alpha')",
            run: "click",
        },
        {
            content: "It went to an agent of the team",
            trigger: ".o_form_view .o_field_widget[name='user_id'] input:value('Tour Agent')",
        },
        {
            content: "Move it",
            trigger: ".o_form_view .o_statusbar_buttons button:enabled:contains('Move')",
            run: "click",
        },
        {
            content: "The wizard names the lead",
            trigger: ".modal .o_field_widget[name='lead_ids']:contains('Tour Lead Alpha')",
        },
        {
            trigger: ".modal .o_field_widget[name='team_id'] input:value('Tour Team')",
        },
        ...pickMany2one("user_id", "Tour Agent Three", ".modal"),
        {
            content: "Confirm the move",
            trigger: ".modal button[name='action_move']",
            run: "click",
        },
        {
            content: "The lead now belongs to the third agent",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name='user_id'] input:value('Tour Agent Three')",
        },
    ],
});
