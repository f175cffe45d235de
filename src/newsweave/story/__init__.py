"""The story stage: the account of one story, built from its reports' stored analyses.

``account`` runs the steps in order over one context: ``entities`` (aliases merged),
``story_dates`` (dates resolved across reports), ``facts`` and ``support`` (claims grouped
and citations verified), ``provenance`` (who copies whom), ``relations`` (who did what to
whom), ``conflicts``, ``brief``, ``timeline``; ``graph`` lays out what the report draws.
Nothing here touches the store."""
