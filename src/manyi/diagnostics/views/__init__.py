"""The diagnosis pages (Art. 15), by who uses them: `requests` (the list, the request form,
the page of one diagnosis, withdraw, accept, decline), `group` (the agency forms the group and
schedules the visit), `report` (the leader's report, the PDF), `answer` (the enterprise's reply
and improvement plan). Thin: selectors scope, services check and change."""
