from . import telesales_call_daily
from . import telesales_attendance_summary
from . import telesales_sales_leaderboard
from . import telesales_target_achievement
from . import telesales_call_funnel
from . import telesales_call_talk_time
from . import telesales_pool_flow
