/** Steps shared by the telesales tours: stable selectors only (menu xml ids, field and
 * button names), and waits on the DOM, never on time. */
export const APP = "telesales_mgmt.menu_telesales_root";

/** Open an app from the app switcher: the Telesales app unless `app` (a menu xml id). */
export function openApp(app = APP) {
    return [
        {
            content: "Open the app switcher",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: `Open the app ${app}`,
            trigger: `.o_app[data-menu-xmlid='${app}']`,
            run: "click",
        },
        {
            content: "The app's home screen is there",
            trigger: `.o_main_navbar .o_menu_brand[data-menu-xmlid='${app}']`,
        },
        {
            trigger: ".o_action_manager > .o_action",
        },
    ];
}

/** Open a menu of the Telesales app: `section` is the top menu, `item` its entry. When
 * the navbar has no room for the section (many sections, a narrow screen), it is under
 * the "+" (more) menu. Laptop and desk sizes. */
export function openMenu(section, item) {
    const sectionSelector = `.o_menu_sections [data-menu-xmlid='telesales_mgmt.${section}']`;
    return [
        {
            content: `Open the menu ${section}`,
            trigger: ".o_main_navbar",
            async run({ queryFirst, click }) {
                const toggle =
                    queryFirst(`${sectionSelector}:visible`) ||
                    queryFirst(".o_menu_sections .o_menu_sections_more button:visible");
                await click(toggle);
            },
        },
        {
            content: `Open ${item}`,
            trigger: `.dropdown-item[data-menu-xmlid='telesales_mgmt.${item}']`,
            run: "click",
        },
    ];
}

/** Type `text` into the many2one `field` (inside `scope`) and pick the matching entry. */
export function pickMany2one(field, text, scope = "") {
    return [
        {
            content: `Search ${text} in ${field}`,
            trigger: `${scope} .o_field_widget[name='${field}'] input`,
            run: `edit ${text}`,
        },
        {
            content: `Pick ${text}`,
            trigger: `${scope} .o_field_widget[name='${field}'] .o-autocomplete--dropdown-item a:contains('${text}')`,
            run: "click",
        },
        {
            content: `${field} is ${text}`,
            trigger: `${scope} .o_field_widget[name='${field}'] input:value('${text}')`,
        },
    ];
}

export function saveForm() {
    return [
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ];
}
