"""One module loads the models (``newsweave.models``), once per process: the document stage's
spaCy pipeline, the relation parser's, and the sentence encoder."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsweave import embed, models
from newsweave.document import nlp
from newsweave.story import relations


def test_importing_the_loader_loads_no_model() -> None:
    code = "import sys, newsweave.models; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_each_pipeline_is_loaded_once() -> None:
    document = models.spacy_pipeline()
    assert nlp.load_spacy() is document
    assert nlp.DocumentAnalyzer().nlp is document
    assert nlp.DocumentAnalyzer().nlp is document  # two analysers share it
    assert models.spacy_pipeline(parse=False) is not document
    assert "parser" not in models.spacy_pipeline(parse=False).pipe_names
    parser = models.parser_pipeline()
    assert relations.load_parser() is parser
    assert relations.RelationParser().nlp is parser
    assert "ner" not in parser.pipe_names and "ner" in document.pipe_names


@pytest.mark.slow
def test_the_embedder_is_the_process_one() -> None:
    assert models.embedder() is embed.get_embedder()
