"""Initiative pipeline (clauses 6.4, 8.1, 8.2, 8.3.1, 8.3.4-8.3.6): workflow templates per idea
type, initiatives moving through stages and gates, evaluation, validation, risks, resources,
gate decisions, deployment value and the portfolio."""
