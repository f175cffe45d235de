"""The document stage: what one report says, read once when it arrives and stored.

``nlp`` runs spaCy (sentences, entities, one dependency parse) and the extractors on its
result: ``quantities`` (numbers with what they count), ``timex`` (temporal expressions and
their values), ``attribution`` (who a sentence is credited to), ``quotes`` (quotations and
their speakers). Nothing here sees another report or the store."""
