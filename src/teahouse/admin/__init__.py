"""Administration: members (admin rights, suspension), the invitation tree, reports,
the audit log, and ejecting a suspended member from this process's sockets.

May import: domain, store, views, realtime (presence, to close sockets), rooms, live,
social (cards), notifications (the admins hear of new reports)."""
