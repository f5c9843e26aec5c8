from . import test_access
from . import test_demo_data
from . import test_rank
from . import test_settings
from . import test_team_profile
from . import test_translation
