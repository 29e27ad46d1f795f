"""Demo data for a first look: `teahouse demo seed`'s members, clubs and events, and
the demo rooms that re-open at every start.

May import: any package (it fills the features through their own services)."""
