"""Build the 226 municipal responses of the 2019 survey (demo and test data).

The marginals are those the 2020 follow-up report publishes (response rate,
Figur 5, question 2, Tabell 3); which municipality gave which answer is made
up, deterministically. Free-text answers are invented for the demo.
Run: python tools/make_kommunenkat_2019.py > src/naravard/demo/data/kommunenkat-2019.csv
"""

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUNICIPALITIES = ROOT / "src/naravard/refdata/data/municipalities.csv"
N = 226
rng = random.Random(20191216)

with MUNICIPALITIES.open(encoding="utf-8") as fh:
    rows = list(csv.DictReader(fh))
by_county: dict[str, list[str]] = {}
for r in rows:
    by_county.setdefault(r["county_code"], []).append(r["municipality_code"])
chosen = {rng.choice(codes) for codes in by_county.values()}  # every county answers
rest = [r["municipality_code"] for r in rows if r["municipality_code"] not in chosen]
chosen |= set(rng.sample(rest, N - len(chosen)))
orgs = sorted(chosen)


def spread(counts: dict[str, int]) -> list[str]:
    """A shuffled column with exactly these counts; '' is a missing answer."""
    values = [code for code, n in counts.items() for _ in range(n)]
    values += [""] * (N - len(values))
    assert len(values) == N, counts
    rng.shuffle(values)
    return values


columns = {
    "1.politisk": spread({"ja": 84, "nej": 221 - 84}),
    "1.ledning": spread({"ja": 107, "nej": 223 - 107}),
    "1.verksamhet": spread({"ja": 82, "nej": 222 - 82}),
    "1.profession": spread({"ja": 68, "nej": 220 - 68}),
    "2": spread({"ja": 62, "nej": 163}),
    "3.sjukskoterska": spread(
        {"brist": 132, "balans": 90, "overskott": 2, "vet_inte": 1, "finns_ej": 1}
    ),
    "3.specialistsjukskoterska": spread(
        {"brist": 168, "balans": 38, "overskott": 0, "vet_inte": 6, "finns_ej": 14}
    ),
    "3.fysioterapeut": spread(
        {"brist": 119, "balans": 92, "overskott": 1, "vet_inte": 5, "finns_ej": 9}
    ),
    "3.arbetsterapeut": spread(
        {"brist": 105, "balans": 114, "overskott": 2, "vet_inte": 4, "finns_ej": 1}
    ),
    "3.dietist": spread(
        {"brist": 8, "balans": 25, "overskott": 1, "vet_inte": 15, "finns_ej": 177}
    ),
    "3.farmaceut": spread(
        {"brist": 3, "balans": 3, "overskott": 0, "vet_inte": 15, "finns_ej": 204}
    ),
}
# 2a is asked only of those who said no to 2
no_to_2 = [i for i, v in enumerate(columns["2"]) if v == "nej"]
answers_2a = ["ja"] * 121 + ["nej"] * 37 + [""] * (len(no_to_2) - 158)
rng.shuffle(answers_2a)
columns["2a"] = [""] * N
for i, v in zip(no_to_2, answers_2a, strict=True):
    columns["2a"][i] = v

COMMENTS = [
    "Dietist och farmaceut köps in från regionen vid behov.",
    "Läget växlar över året; sommaren är svårast att bemanna.",
    "Vi samarbetar med grannkommunen om arbetsterapeuter.",
    "Specialistsjuksköterskor inom demens saknas helt.",
    "Farmaceutstöd finns via apotek enligt avtal.",
    "Svårt att rekrytera fysioterapeuter till glesbygden.",
]
MEASURES = [
    "Vi har flyttat uppgifter från sjuksköterskor till undersköterskor med delegering.",
    "Inhyrd personal har använts under semesterperioden.",
    "Betald vidareutbildning till specialistsjuksköterska med bibehållen lön.",
    "Karriärtjänster och lönesatsningar för legitimerad personal.",
    "Schemaläggning där medarbetarna har större inflytande.",
    "Arbetsterapeuter och fysioterapeuter arbetar i team med hemtjänsten.",
    "Vi har anställt fler än behovet för att klara pensionsavgångar.",
    "Gemensam rekrytering med andra kommuner i länet.",
    "Bonus till sjuksköterskor som arbetar under sommaren.",
    "Introduktionsprogram för nyutexaminerade sjuksköterskor.",
]
columns["3.kommentar"] = [rng.choice(COMMENTS) if rng.random() < 0.2 else "" for _ in range(N)]
columns["4"] = [rng.choice(MEASURES) if rng.random() < 0.8 else "" for _ in range(N)]

order = [
    "1.politisk",
    "1.ledning",
    "1.verksamhet",
    "1.profession",
    "2",
    "2a",
    "3.sjukskoterska",
    "3.specialistsjukskoterska",
    "3.fysioterapeut",
    "3.arbetsterapeut",
    "3.dietist",
    "3.farmaceut",
    "3.kommentar",
    "4",
]
writer = csv.writer(sys.stdout, lineterminator="\n")
writer.writerow(["org", *order])
for i, org in enumerate(orgs):
    writer.writerow([org, *(columns[c][i] for c in order)])
