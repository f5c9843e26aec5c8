"""19.0.1.3.0: lead sources got a translatable label. Their records are noupdate, so an
upgrade would leave the label empty: fill it here (zh_CN comes with the module's terms)."""

LABELS = {
    "utm_source_marketing": "Marketing Department",
    "utm_source_website": "Website",
    "utm_source_social": "Social Media",
    "utm_source_other_department": "Other Department",
    "utm_source_referral": "Customer Referral",
}


def migrate(cr, version):
    for xmlid, label in LABELS.items():
        cr.execute("""
            UPDATE utm_source s SET telesales_label = jsonb_build_object('en_US', %s)
              FROM ir_model_data d
             WHERE d.module = 'telesales_mgmt' AND d.name = %s AND d.model = 'utm.source'
               AND d.res_id = s.id AND s.telesales_label IS NULL
        """, (label, xmlid))
