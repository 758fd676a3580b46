"""Every table (SQLModel, ``table=True``), one module per domain. Importing this package registers them all on
``Base.metadata``."""

from crm_tui.db.base import Base
from crm_tui.db.models import customers, people, products, purchasing, stock, system  # noqa: F401

from crm_tui.db.models import visits  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import sales  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import opportunities  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import service  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import docs  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import notices  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import messaging  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import analysis  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import credit  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import contact_quotas  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import units  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import returns  # noqa: F401  # isort: skip (one line per area)
from crm_tui.db.models import purchase_returns  # noqa: F401  # isort: skip (one line per area)

metadata = Base.metadata
