import { registry } from "@web/core/registry";
import { openApp } from "./telesales_tour_utils";

const DASHBOARDS_APP = "spreadsheet_dashboard.spreadsheet_dashboard_menu_root";

/** The dashboard's name as the tour's user reads it (it is translated: the demo's
 * telesales staff work in Chinese), set by the test in a cookie. */
function telesales() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("telesales_tour_dashboard="));
    const name = cookie ? decodeURIComponent(cookie.slice("telesales_tour_dashboard=".length)) : "Telesales";
    return `.o_search_panel_category_value[data-name=${JSON.stringify(name)}]`;
}

function openDashboards() {
    return [
        ...openApp(DASHBOARDS_APP),
        {
            content: "The dashboards are loaded (a list, or 'No available dashboard')",
            trigger: ".o_spreadsheet_dashboard_action .o_search_panel_category_value, .o_spreadsheet_dashboard_action .o_content > h3.dashboard-loading-status",
        },
    ];
}

/** The department manager opens the Telesales dashboard in Odoo's Dashboards app. */
registry.category("web_tour.tours").add("telesales_dashboard_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...openDashboards(),
        {
            content: "Open the Telesales dashboard",
            trigger: `.o_spreadsheet_dashboard_action ${telesales()}`,
            run: "click",
        },
        {
            trigger: `.o_spreadsheet_dashboard_action ${telesales()}.active`,
        },
        {
            content: "It renders, with its charts and scorecards",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer .o-figure",
        },
        {
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status))",
        },
    ],
});

/** An agent opens the Dashboards app: the Telesales dashboard is not offered. */
registry.category("web_tour.tours").add("telesales_dashboard_agent_tour", {
    url: "/odoo",
    steps: () => [
        ...openDashboards(),
        {
            content: "No Telesales dashboard for agents",
            trigger: `.o_spreadsheet_dashboard_action:not(:has(${telesales()}))`,
        },
    ],
});
