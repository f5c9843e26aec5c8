{
    "name": "Telesales Management",
    "summary": "Run a telesales (电销) department: teams, ranks, calls, lead sharing, "
    "attendance penalties, commission and appraisal",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "telesales_mgmt contributors",
    "website": "https://example.com/telesales_mgmt",
    "application": True,
    "depends": ["crm", "sale_crm", "hr", "hr_attendance", "hr_holidays", "mail"],
    "data": [
        "security/telesales_security.xml",
        "security/ir.model.access.csv",
        "data/telesales_rank_data.xml",
        "data/utm_source_data.xml",
        "views/telesales_rank_views.xml",
        "views/telesales_rank_history_views.xml",
        "views/hr_employee_views.xml",
        "views/crm_team_views.xml",
        "views/crm_lead_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/telesales_demo.xml",
    ],
    "installable": True,
}
