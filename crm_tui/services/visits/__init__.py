"""Field visits (拜访巡店考核): the visit policy, the tally, the visit log's import, absences, publications,
weekly plans and outings. Importing the package registers the area's invariants for ``crm db check``."""

from crm_tui.services.visits import checks  # noqa: F401
