from . import telesales_call_daily
