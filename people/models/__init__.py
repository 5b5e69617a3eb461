"""People: profiles, access needs, consent, equality monitoring, opportunities and applications,
courses and training records. One module per topic; import models from `people.models`."""

from people.models.opportunities import *  # noqa: F401,F403
from people.models.profiles import *  # noqa: F401,F403
from people.models.training import *  # noqa: F401,F403
