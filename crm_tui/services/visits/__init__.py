"""Field visits (拜访巡店考核): the visit policy, the tally, the visit log's import, absences, publications,
weekly plans and outings."""
