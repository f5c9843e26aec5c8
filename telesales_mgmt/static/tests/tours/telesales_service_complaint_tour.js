import { registry } from "@web/core/registry";
import { openApp, openMenu, pickMany2one, saveForm } from "./telesales_tour_utils";

/** Customer service records a complaint while the customer is on the line, apologises
 * (Acknowledge) and forwards it to the responsible department (R-CMP-1, R-CMP-2). */
registry.category("web_tour.tours").add("telesales_service_complaint_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        ...openMenu("menu_telesales_complaints_root", "menu_telesales_complaints"),
        {
            content: "Record a complaint",
            trigger: ".o_control_panel .o-kanban-button-new, .o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='subject'] input",
            run: "edit Charged twice for one order",
        },
        ...pickMany2one("partner_id", "Tour Customer Wang", ".o_form_view"),
        ...pickMany2one("category_id", "Tour Billing", ".o_form_view"),
        ...pickMany2one("responsible_department_id", "Tour Billing Office", ".o_form_view"),
        {
            content: "What the customer said",
            trigger: ".o_form_view .o_field_widget[name='description'] .odoo-editor-editable",
            run: "editor The customer was charged twice for order 1001 and wants a refund.",
        },
        ...saveForm(),
        {
            content: "Recorded as New",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('New')",
        },
        {
            content: "Apologise and promise handling",
            trigger: ".o_form_view button[name='action_acknowledge']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Acknowledged')",
        },
        {
            content: "Forward to the responsible department",
            trigger: ".o_form_view button[name='action_forward']",
            run: "click",
        },
        {
            content: "Forwarded, to the department's manager",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Forwarded')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='responsible_user_id'] input:value('Tour Billing Clerk')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='forwarded_date']:not(:empty)",
        },
    ],
});
