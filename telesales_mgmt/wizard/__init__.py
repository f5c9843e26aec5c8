from . import telesales_lead_move
from . import telesales_attendance_rejudge
from . import telesales_clocking_fraud
from . import telesales_payroll_export
