from . import telesales_lead_move
