from . import telesales_call_daily
from . import telesales_attendance_summary
from . import telesales_sales_leaderboard
