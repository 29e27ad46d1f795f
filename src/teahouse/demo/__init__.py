"""Demo data for a first look: `teahouse demo seed`'s members, clubs and events, and
the demo rooms that re-open at every start.

May import: every feature package (it fills them through their own services)."""
