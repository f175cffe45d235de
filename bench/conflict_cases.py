"""Conflicts on invented two- and three-report cases, one per kind of look-alike and of real
disagreement an analyst meets in wire copy.

Each case is a handful of short reports of one event, written here (no benchmark text), with
the disagreements a careful reader finds in them: ``expect`` lists the values that must stand
on different sides of one conflict; a case with ``expect=[]`` is a trap (approximations, bounds,
updates over time, parts of a total, conversions, stages of one case, background events,
different people, one day told two ways) where any conflict is a false alarm. The story stage
runs on each case as one story (the product's account, not the clustering) and the script prints
per case what it listed, then precision (cases with a conflict listed that were real ones) and
recall (real conflicts found) beside the trap rate.

Usage, from the repo root::

    .venv/bin/python bench/conflict_cases.py            # all cases
    .venv/bin/python bench/conflict_cases.py --only update,stages
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsweave.document.nlp import DocumentAnalyzer
from newsweave.embed import get_embedder
from newsweave.ingest import clean_document
from newsweave.model import Conflict, Document, Story
from newsweave.story.account import build_account


@dataclass
class Case:
    name: str
    reports: list[tuple[str, str]]  # (published, text)
    expect: list[tuple[str, str]] = field(default_factory=list)  # values on two sides
    why: str = ""


CASES = [
    # ---------------------------------------------------------------- traps: no conflict
    Case(
        "one kind of event, two events",
        [
            (
                "2024-09-02",
                "The doctor rebuilt the village clinic after Hurricane Ada destroyed the clinic "
                "in 1998, and kept seeing patients at their homes.",
            ),
            (
                "2024-09-02",
                "She became known for rebuilding the village clinic, destroyed in Hurricane "
                "Bret in 2005, while seeing patients at their homes.",
            ),
        ],
        why="two hurricanes destroyed it: the names taking part in the events differ",
    ),
    Case(
        "approximation",
        [
            (
                "2024-05-02",
                "A bus carrying pilgrims plunged into a gorge in the northern hills on "
                "Wednesday. About 100 people were injured in the crash, police said.",
            ),
            (
                "2024-05-02",
                "A pilgrim bus fell into a gorge in the northern hills on Wednesday. "
                "Police said 97 people were injured in the crash.",
            ),
        ],
        why="about 100 and 97",
    ),
    Case(
        "lower bound",
        [
            (
                "2024-05-03",
                "At least 70 people were hurt when a stand collapsed at the city "
                "stadium on Friday, officials said.",
            ),
            (
                "2024-05-03",
                "Officials said 85 people were hurt when a stand collapsed at the city "
                "stadium on Friday.",
            ),
        ],
        why="at least 70 holds 85",
    ),
    Case(
        "update",
        [
            (
                "2024-06-10",
                "A factory fire in the river port killed 12 workers on Monday, "
                "officials said. The blaze started in a paint store.",
            ),
            (
                "2024-06-13",
                "The death toll from Monday's factory fire in the river port has risen "
                "to 19, officials said on Thursday, after seven injured workers died in hospital.",
            ),
        ],
        why="a later toll",
    ),
    Case(
        "background event",
        [
            (
                "2024-07-01",
                "A fire at a textile warehouse in the capital killed 12 people on "
                "Sunday, the fire service said. In 2015, a similar fire in the same district "
                "killed 40 people.",
            ),
            (
                "2024-07-01",
                "Twelve people died when fire swept through a textile warehouse in "
                "the capital on Sunday, the fire service said.",
            ),
        ],
        why="the 2015 fire is another event",
    ),
    Case(
        "part of a total",
        [
            (
                "2024-08-05",
                "A gunman shot three co-workers at a packaging plant on Monday, "
                "killing two of them, police said.",
            ),
            (
                "2024-08-05",
                "A worker at a packaging plant killed two colleagues on Monday, police "
                "said, and wounded a third.",
            ),
        ],
        why="three shot, two of them killed",
    ),
    Case(
        "unit conversion",
        [
            (
                "2024-09-03",
                "The coast guard seized a 30-foot boat carrying cocaine off the "
                "southern coast on Tuesday.",
            ),
            (
                "2024-09-03",
                "A nine-metre boat loaded with cocaine was seized by the coast guard "
                "off the southern coast on Tuesday.",
            ),
        ],
        why="30 feet is about nine metres",
    ),
    Case(
        "currency conversion",
        [
            (
                "2024-09-12",
                "Thieves stole jewels worth 40 million euros ($44 million) from a "
                "store in the old town on Wednesday, police said.",
            ),
            (
                "2024-09-12",
                "Police said jewels worth $44 million were stolen from a store in the "
                "old town on Wednesday.",
            ),
        ],
        why="one sum in two currencies",
    ),
    Case(
        "ages years apart",
        [
            (
                "2005-06-25",
                "A sheriff's deputy was shot dead on Friday while questioning a woman "
                "at an apartment, police said. The suspect, Juan Morales, 27, was arrested hours "
                "later.",
            ),
            (
                "2007-03-21",
                "A jury on Tuesday convicted Juan Morales, 29, of murdering a "
                "sheriff's deputy in 2005. The deputy was shot while questioning a woman at an "
                "apartment.",
            ),
        ],
        why="ages two years apart",
    ),
    Case(
        "stages of one case",
        [
            (
                "2024-10-08",
                "Prosecutors charged the former mayor with fraud on Monday over the "
                "sale of city land, the prosecutor's office said.",
            ),
            (
                "2024-10-12",
                "A court convicted the former mayor of fraud on Friday over the sale "
                "of city land. He was charged on Monday, the prosecutor's office said.",
            ),
        ],
        why="charged Monday, convicted Friday",
    ),
    Case(
        "two people",
        [
            (
                "2024-11-04",
                "Two police officers were wounded in a shootout in the harbour "
                "district on Sunday. Officer Anna Berg, 45, was shot in the leg, police said.",
            ),
            (
                "2024-11-04",
                "A shootout in the harbour district on Sunday left two officers "
                "wounded, police said. Officer Tom Hale, 51, was hit in the arm.",
            ),
        ],
        why="two officers' ages",
    ),
    Case(
        "one day told two ways",
        [
            (
                "2024-03-06",
                "Fishermen found the wreck of a cargo plane in the bay on Tuesday, the navy said.",
            ),
            (
                "2024-03-07",
                "The wreck of a cargo plane was found in the bay on March 5 by "
                "fishermen, the navy said.",
            ),
        ],
        why="Tuesday is March 5",
    ),
    Case(
        "yesterday in a next-day report",
        [
            ("2024-03-08", "The central bank raised its main rate to 5 percent on Thursday."),
            (
                "2024-03-09",
                "The central bank raised its main rate to 5 percent yesterday, surprising markets.",
            ),
        ],
        why="yesterday is Thursday",
    ),
    Case(
        "same number, other things",
        [
            (
                "2024-04-15",
                "Police said 12 people were injured in the riots and 12 others were arrested.",
            ),
            ("2024-04-15", "Twelve people were injured in the riots, police said."),
        ],
        why="12 injured and 12 arrested",
    ),
    Case(
        "running total",
        [
            (
                "2024-04-20",
                "Police arrested 40 people on Saturday night as protests spread, "
                "bringing the number detained this week to more than 200.",
            ),
            ("2024-04-20", "More than 200 people have been detained this week, police said."),
        ],
        why="one night's arrests and the week's",
    ),
    Case(
        "forecast and outcome",
        [
            ("2024-02-01", "The storm is expected to make landfall on Friday, forecasters said."),
            ("2024-02-04", "The storm made landfall on Saturday, a day later than forecast."),
        ],
        why="a forecast and what happened",
    ),
    Case(
        "hedged cause",
        [
            (
                "2024-02-10",
                "Investigators said the crash may have been caused by ice on the wings.",
            ),
            (
                "2024-02-10",
                "Ice on the wings is one possible cause of the crash, investigators said.",
            ),
        ],
        why="one hypothesis told twice",
    ),
    Case(
        "quake and aftershock",
        [
            (
                "2024-02-20",
                "The earthquake struck at 2:10 a.m. on Tuesday, and a strong "
                "aftershock followed at 4:45 a.m., the geological survey said.",
            ),
            (
                "2024-02-20",
                "A strong aftershock hit the region at 4:45 a.m. on Tuesday, hours "
                "after the earthquake, the geological survey said.",
            ),
        ],
        why="two events of one night",
    ),
    Case(
        "rounded count",
        [
            (
                "2024-02-21",
                "Nearly 300 passengers were evacuated from the stranded train on "
                "Wednesday, the operator said.",
            ),
            (
                "2024-02-21",
                "The operator said 296 passengers were evacuated from the stranded "
                "train on Wednesday.",
            ),
        ],
        why="nearly 300 is 296",
    ),
    Case(
        "two shares",
        [
            (
                "2024-02-22",
                "About 30 percent of police officers joined the strike on Thursday, "
                "the union said.",
            ),
            (
                "2024-02-22",
                "The union said the strike on Thursday was backed by 20 percent of "
                "the population, according to a poll.",
            ),
        ],
        why="a share of the police and a share of the population",
    ),
    Case(
        "until Friday, a week apart",
        [
            ("2024-03-04", "The bridge will stay closed until Friday for repairs, the city said."),
            (
                "2024-03-12",
                "The city said the bridge will stay closed until Friday as repairs "
                "take longer than planned.",
            ),
        ],
        why="two Fridays: an extension",
    ),
    Case(
        "sinking and the search",
        [
            (
                "2024-03-14",
                "The fishing boat sank on Monday. Divers resumed the search for the "
                "missing on Wednesday, the navy said.",
            ),
            (
                "2024-03-15",
                "Divers searched the wreck of the fishing boat again on Thursday, the "
                "navy said. It sank on Monday.",
            ),
        ],
        why="the day it sank and days of the search",
    ),
    Case(
        "depths",
        [
            ("2024-03-20", "The wreck lies at a depth of 60 metres, the navy said."),
            (
                "2024-03-20",
                "Navy divers reached 40 metres on Tuesday before bad weather stopped "
                "them, the navy said.",
            ),
        ],
        why="the wreck's depth and how deep the divers got",
    ),
    Case(
        "an earlier crash's toll",
        [
            (
                "2024-04-02",
                "The crash killed 50 people, the deadliest since a 2010 crash in the "
                "same valley that killed 150, officials said.",
            ),
            (
                "2024-04-02",
                "Fifty people were killed when the plane crashed in the valley, officials said.",
            ),
        ],
        why="the 2010 crash is another event",
    ),
    Case(
        "a part named in a total",
        [
            (
                "2024-04-08",
                "The blast killed 12 people, including three children, the health ministry said.",
            ),
            ("2024-04-08", "Twelve people died in the blast, the health ministry said."),
        ],
        why="three of the twelve are children",
    ),
    Case(
        "a planned and a held vote",
        [
            ("2024-04-09", "Lawmakers will vote on the budget on Thursday, the speaker said."),
            (
                "2024-04-12",
                "Lawmakers approved the budget on Friday after a day's delay, the speaker said.",
            ),
        ],
        why="a plan and what happened, a day later",
    ),
    Case(
        "magnitude revised",
        [
            (
                "2024-04-10",
                "A magnitude 6.1 earthquake shook the coast on Wednesday, the "
                "geological survey said in a first estimate.",
            ),
            (
                "2024-04-11",
                "The geological survey later revised the magnitude of Wednesday's "
                "earthquake to 6.4.",
            ),
        ],
        why="a first estimate revised",
    ),
    Case(
        "an unnamed man two years on",
        [
            (
                "2022-05-03",
                "Police arrested a 27-year-old man on Monday over the shooting of a "
                "shopkeeper in the market.",
            ),
            (
                "2024-05-14",
                "A jury on Tuesday convicted the 29-year-old man over the shooting of "
                "a shopkeeper in the market two years ago.",
            ),
        ],
        why="his age at the arrest and at the trial",
    ),
    Case(
        "two unnamed people",
        [
            ("2024-05-20", "A 25-year-old man was stabbed outside a bar on Saturday, police said."),
            (
                "2024-05-20",
                "Police said a 31-year-old woman was also hurt in the attack outside "
                "the bar on Saturday.",
            ),
        ],
        why="a man and a woman",
    ),
    # ------------------------------------------------------------ real disagreements
    Case(
        "death toll",
        [
            (
                "2024-12-02",
                "A ferry capsized on the river delta on Monday, and 23 people drowned, "
                "the disaster agency said.",
            ),
            (
                "2024-12-02",
                "At least 31 people drowned when a ferry capsized on the river delta "
                "on Monday, the disaster agency said.",
            ),
        ],
        expect=[("23", "31")],
    ),
    Case(
        "day of the event",
        [
            (
                "2024-12-06",
                "An avalanche buried a group of hikers in the northern range on "
                "Thursday, killing four of them, mountain rescuers said.",
            ),
            (
                "2024-12-06",
                "Four hikers were killed when an avalanche buried their group in the "
                "northern range on Wednesday, mountain rescuers said.",
            ),
        ],
        expect=[("2024-12-05", "2024-12-04")],
    ),
    Case(
        "crew count",
        [
            (
                "2024-01-15",
                "The cargo ship sank off the cape on Sunday with 18 crew members on "
                "board, the coast guard said.",
            ),
            (
                "2024-01-15",
                "The coast guard said the cargo ship, which had a crew of 21, sank "
                "off the cape on Sunday.",
            ),
        ],
        expect=[("18", "21")],
    ),
    Case(
        "victim's age",
        [
            (
                "2024-01-22",
                "The victim, Maria Lenz, 34, was struck by a car as she crossed the "
                "avenue on Saturday, police said.",
            ),
            (
                "2024-01-22",
                "Maria Lenz, 38, died after a car struck her on the avenue on "
                "Saturday, police said.",
            ),
        ],
        expect=[("34", "38")],
    ),
    Case(
        "arrest count",
        [
            (
                "2024-03-18",
                "Police arrested 14 people after clashes outside the stadium on Sunday.",
            ),
            (
                "2024-03-18",
                "Nine people were arrested after clashes outside the stadium on "
                "Sunday, police said.",
            ),
        ],
        expect=[("14", "9")],
    ),
    Case(
        "clock time",
        [
            (
                "2024-05-20",
                "The explosion at the refinery happened at about 2:30 a.m. on Monday, "
                "the company said.",
            ),
            (
                "2024-05-20",
                "The company said the explosion at the refinery happened at 5 a.m. on Monday.",
            ),
        ],
        expect=[("2:30", "5")],
    ),
    Case(
        "place",
        [
            ("2024-06-02", "The train derailed near Ostrava on Saturday, the rail operator said."),
            ("2024-06-02", "The train derailed near Olomouc on Saturday, the rail operator said."),
        ],
        expect=[("Ostrava", "Olomouc")],
    ),
    Case(
        "distance",
        [
            (
                "2024-06-09",
                "The climber fell about 150 metres from the ridge on Friday, police said.",
            ),
            (
                "2024-06-09",
                "Police said the climber fell about 60 metres from the ridge on Friday.",
            ),
        ],
        expect=[("150", "60")],
    ),
    Case(
        "jury hours in other words",
        [
            (
                "2024-06-12",
                "The jury deliberated for 40 hours over four days before telling the "
                "judge it was deadlocked.",
            ),
            (
                "2024-06-12",
                "The judge declared a mistrial after the jury failed to reach a verdict "
                "after 30 hours of deliberation.",
            ),
        ],
        expect=[("40", "30")],
    ),
    Case(
        "cables in other words",
        [
            (
                "2024-06-14",
                "Internet traffic across the region was disrupted on Friday after three "
                "undersea cables were damaged, the ministry said.",
            ),
            (
                "2024-06-14",
                "Two submarine cables went down on Friday, causing the disruption, "
                "industry experts said.",
            ),
        ],
        expect=[("three", "Two")],
    ),
    Case(
        "weekday in other words",
        [
            (
                "2024-06-22",
                "Gunmen attacked a police post in the border town on Thursday, killing "
                "three officers.",
            ),
            (
                "2024-06-22",
                "Three officers died in Friday's attack on a police post in the border "
                "town, officials said.",
            ),
        ],
        expect=[("2024-06-20", "2024-06-21")],
    ),
    Case(
        "one event dated in unlike words",
        [
            (
                "2024-03-14",
                "Riots spread across the capital. It was near the market where Tomas Verel, "
                "15, was killed by a police bullet on 9 March.",
            ),
            (
                "2024-03-14",
                "According to the charge sheet, Officer Dane Holt killed Verel on Sunday "
                "during a clash with youths near the market.",
            ),
        ],
        expect=[("2024-03-09", "2024-03-10")],
    ),
    Case(
        "passengers on board",
        [
            (
                "2024-07-03",
                "The plane had 150 passengers on board when it skidded off the runway "
                "on Tuesday, the airline said.",
            ),
            (
                "2024-07-03",
                "The airline said the plane was carrying 162 passengers when it "
                "skidded off the runway on Tuesday.",
            ),
        ],
        expect=[("150", "162")],
    ),
    Case(
        "time the fire started",
        [
            (
                "2024-07-05",
                "The fire broke out at around 8 p.m. on Thursday in the basement, "
                "firefighters said.",
            ),
            (
                "2024-07-05",
                "Firefighters said the blaze started in the basement at 9:30 p.m. on Thursday.",
            ),
        ],
        expect=[("8", "9:30")],
    ),
    Case(
        "suspect's age",
        [
            (
                "2024-07-08",
                "Police arrested a 25-year-old man on Sunday in connection with the "
                "stabbing at the market.",
            ),
            (
                "2024-07-08",
                "The 27-year-old suspect was arrested on Sunday over the stabbing at "
                "the market, police said.",
            ),
        ],
        expect=[("25", "27")],
    ),
    Case(
        "magnitude",
        [
            (
                "2024-07-10",
                "A magnitude 6.1 earthquake struck off the northern coast on "
                "Wednesday, the geological survey said.",
            ),
            (
                "2024-07-10",
                "The national seismology centre said the earthquake that struck off "
                "the northern coast on Wednesday had a magnitude of 5.8.",
            ),
        ],
        expect=[("6.1", "5.8")],
    ),
]


def _conflicts(case: Case, analyzer: DocumentAnalyzer) -> list[Conflict]:
    docs = [
        Document(text=text, path=f"{k}.txt", published=day)
        for k, (day, text) in enumerate(case.reports)
    ]
    articles = [clean_document(d) for d in docs]
    analyses = [analyzer.analyze(a) for a in articles]
    story = Story(id="s-case", title="", articles=[a.id for a in articles])
    return build_account(story, articles, analyses, get_embedder()).conflicts


def _has(conflict: Conflict, a: str, b: str) -> bool:
    sides = [f"{v.value} {v.text}" for v in conflict.values]
    return any(
        a in x and b in y for i, x in enumerate(sides) for j, y in enumerate(sides) if i != j
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="comma-separated case names (or parts of them)")
    args = ap.parse_args()
    only = [w.strip() for w in args.only.split(",")] if args.only else []
    analyzer = DocumentAnalyzer()
    traps = alarms = real = found = listed = right = 0
    print("| case | expected | listed | verdict |\n|---|---|---|---|")
    for case in CASES:
        if only and not any(w in case.name for w in only):
            continue
        got = _conflicts(case, analyzer)
        shown = "; ".join(" / ".join(v.text for v in c.values) for c in got) or "-"
        hits = [c for c in got if any(_has(c, a, b) for a, b in case.expect)]
        listed += len(got)
        right += len(hits)
        if case.expect:
            real += len(case.expect)
            n = sum(any(_has(c, a, b) for c in got) for a, b in case.expect)
            found += n
            verdict = "found" if n == len(case.expect) else "MISSED"
        else:
            traps += 1
            alarms += bool(got)
            verdict = "FALSE ALARM" if got else "ok"
        expected = "; ".join(f"{a} / {b}" for a, b in case.expect) or f"none ({case.why})"
        print(f"| {case.name} | {expected} | {shown} | {verdict} |")
    print()
    print(f"real conflicts found: {found}/{real}")
    print(f"conflicts listed that are real: {right}/{listed}")
    print(f"traps with a false alarm: {alarms}/{traps}")


if __name__ == "__main__":
    main()
