import { registry } from "@web/core/registry";
import { openApp, openMenu } from "./telesales_tour_utils";

/** The telesales administrator (no Odoo administrator) changes the daily minimum's
 * connected calls in Settings (R-CALL-5). */
registry.category("web_tour.tours").add("telesales_admin_settings_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        ...openMenu("menu_telesales_config", "menu_telesales_settings"),
        {
            content: "The daily minimum: 40 connected calls",
            trigger: ".o-settings-form-view .o_field_widget[name='telesales_min_connected'] input:value('40')",
            run: "edit 45",
        },
        {
            content: "Save: the settings reload",
            trigger: ".o_control_panel .o_form_button_save:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Saved: 45 after the reload, nothing left unsaved",
            trigger: ".o-settings-form-view:not(:has(.o_dirty_warning)) .o_field_widget[name='telesales_min_connected'] input:value('45')",
        },
    ],
});
