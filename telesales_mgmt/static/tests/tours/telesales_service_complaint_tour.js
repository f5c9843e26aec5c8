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
        // Steps are told by the buttons each one offers, not by stage names (the demo's
        // customer service works in Chinese).
        {
            content: "Recorded as New: it can be acknowledged",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_acknowledge']",
        },
        {
            content: "Apologise and promise handling",
            trigger: ".o_form_view button[name='action_acknowledge']",
            run: "click",
        },
        {
            content: "Acknowledged: apologised on a date, ready to forward",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name='action_acknowledge'])) button[name='action_forward']",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='acknowledged_date']:not(:empty)",
        },
        {
            content: "Forward to the responsible department",
            trigger: ".o_form_view button[name='action_forward']",
            run: "click",
        },
        {
            content: "Forwarded: it can be started, not forwarded again",
            trigger: ".o_form_view .o_statusbar_buttons:not(:has(button[name='action_forward'])) button[name='action_start']",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='responsible_user_id'] input:value('Tour Billing Clerk')",
        },
        {
            trigger: ".o_form_view .o_field_widget[name='forwarded_date']:not(:empty)",
        },
    ],
});
