"""The phone's initial data, drawn from a seed: the same seed always gives the same phone.

Contacts, SMS threads (some with contacts, some with unknown numbers), alarms, calendar events
around today, expenses over the last month, Markor notes and the usual `/sdcard` folders with a
few files each. Times are relative to the phone's clock at reset.
"""

from __future__ import annotations

import datetime as dt
import random
import stat as statmod

from artemis.sim.fs import Entry, SimFS
from artemis.sim.props import default_extra
from artemis.sim.simtime import to_epoch
from artemis.sim.state import (
    EXPENSE_CATEGORIES,
    NOTES_DIR,
    Alarm,
    Contact,
    Event,
    Expense,
    PhoneState,
    SettingsState,
    Sms,
)

FIRST_NAMES = (
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "Elijah",
    "Sophia",
    "James",
    "Isabella",
    "Lucas",
    "Mia",
    "Mateo",
    "Amelia",
    "Ethan",
    "Harper",
    "Aiden",
    "Evelyn",
    "Daniel",
    "Abigail",
    "Henry",
    "Emily",
    "Jackson",
    "Ella",
    "Sebastian",
    "Chloe",
    "Omar",
    "Priya",
    "Wei",
    "Yuki",
    "Fatima",
    "Diego",
    "Sofia",
    "Arjun",
    "Hana",
    "Kofi",
    "Ingrid",
)
LAST_NAMES = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Nguyen",
    "Patel",
)
EVENT_TITLES = (
    "Team standup",
    "Dentist appointment",
    "Lunch with Sam",
    "Project review",
    "Yoga class",
    "Call with the bank",
    "Book club",
    "Parent-teacher meeting",
    "Car service",
    "Flight to Denver",
    "Birthday dinner",
    "Quarterly planning",
    "Doctor's appointment",
    "Gym session",
    "Coffee with Alex",
    "Piano lesson",
    "Haircut",
    "Grocery pickup",
    "Budget meeting",
    "Movie night",
)
LOCATIONS = ("Room 4B", "Main St Clinic", "Cafe Luna", "Online", "Downtown", "Home", "Office", "")
EXPENSE_NAMES = {
    "Food": ("Groceries", "Lunch", "Coffee", "Pizza night", "Bakery", "Sushi dinner"),
    "Transportation": ("Gas", "Bus pass", "Taxi", "Parking", "Train ticket"),
    "Housing": ("Rent", "Furniture", "Home repair"),
    "Utilities": ("Electricity bill", "Water bill", "Internet", "Phone bill"),
    "Entertainment": ("Movie tickets", "Concert", "Streaming", "Board game"),
    "Health": ("Pharmacy", "Gym membership", "Vitamins"),
    "Shopping": ("Shoes", "Books", "Headphones", "Gift"),
    "Other": ("Donation", "Laundry", "Postage"),
}
SMS_LINES_IN = (
    "Are we still on for tomorrow?",
    "Can you call me when you get a chance?",
    "Thanks for yesterday!",
    "Running 10 minutes late, sorry.",
    "Did you see the game last night?",
    "Your package has been delivered.",
    "Happy birthday!!",
    "What time is the meeting?",
    "Can you send me the address?",
    "See you at 7.",
    "Don't forget to bring the charger.",
    "Your verification code is 482913.",
    "Lunch on Friday?",
    "I just landed.",
)
SMS_LINES_OUT = (
    "Sure, sounds good.",
    "On my way.",
    "Yes, see you then!",
    "Thanks!",
    "I'll call you later.",
    "Sorry, I missed your call.",
    "Let me check and get back to you.",
    "Got it, thanks.",
)
NOTE_FILES = {
    "Shopping list.md": "# Shopping list\n\n- Milk\n- Eggs\n- Bread\n- Apples\n- Coffee beans\n",
    "Meeting notes.md": (
        "# Meeting notes\n\nAttendees: {a}, {b}\n\n- Agree on the launch date\n"
        "- Review the budget\n- Next meeting in two weeks\n"
    ),
    "Ideas.txt": "Weekend trip to the coast\nLearn to make sourdough\nStart a running plan\n",
    "Recipes.md": "# Pancakes\n\n1 cup flour, 1 egg, 1 cup milk, pinch of salt.\nMix and fry.\n",
}
SDCARD_DIRS = (
    "Alarms",
    "DCIM",
    "DCIM/Camera",
    "Documents",
    "Download",
    "Movies",
    "Music",
    "Notifications",
    "Pictures",
    "Podcasts",
    "Recordings",
    "Ringtones",
)


def _phone_number(rng: random.Random) -> str:
    area = rng.choice(("415", "650", "212", "312", "617", "206", "512", "303"))
    return f"+1 {area}-555-{rng.randint(100, 199):04d}"


def _contacts(rng: random.Random) -> list[Contact]:
    firsts = rng.sample(FIRST_NAMES, 18)
    out: list[Contact] = []
    used: set[str] = set()
    for i, first in enumerate(firsts, start=1):
        last = rng.choice(LAST_NAMES)
        number = _phone_number(rng)
        while number in used:
            number = _phone_number(rng)
        used.add(number)
        email = f"{first.lower()}.{last.lower()}@example.com" if rng.random() < 0.6 else ""
        out.append(
            Contact(
                id=i,
                first_name=first,
                last_name=last,
                phone=number,
                email=email,
                starred=rng.random() < 0.15,
            )
        )
    return out


def _alarms(rng: random.Random) -> list[Alarm]:
    return [
        Alarm(
            id=1,
            hour=6,
            minute=rng.choice((0, 15, 30, 45)),
            enabled=True,
            label="Work",
            days=[0, 1, 2, 3, 4],
        ),
        Alarm(
            id=2,
            hour=rng.choice((7, 8, 9)),
            minute=rng.choice((0, 30)),
            enabled=False,
            label="",
            days=[5, 6],
        ),
        Alarm(
            id=3,
            hour=rng.choice((13, 14, 15)),
            minute=rng.choice((0, 10, 20)),
            enabled=rng.random() < 0.5,
            label="Medicine",
            days=[],
        ),
    ]


def _events(rng: random.Random, today: dt.date) -> list[Event]:
    out: list[Event] = []
    titles = rng.sample(EVENT_TITLES, 14)
    offsets = [0, 0, 1, 1, 2, -1, -2, 3, 4, 5, 6, 8, 10, -4]
    for i, (title, off) in enumerate(zip(titles, offsets, strict=True), start=1):
        hour = rng.randint(8, 18)
        minute = rng.choice((0, 15, 30, 45))
        length = rng.choice((30, 45, 60, 60, 90, 120))
        start = dt.datetime.combine(today, dt.time(hour, minute))
        end = min(start + dt.timedelta(minutes=length), start.replace(hour=23, minute=59))
        out.append(
            Event(
                id=i,
                title=title,
                date=today + dt.timedelta(days=off),
                start=start.time(),
                end=end.time(),
                location=rng.choice(LOCATIONS),
                description="" if rng.random() < 0.6 else "Bring the documents.",
            )
        )
    return out


def _messages(rng: random.Random, contacts: list[Contact], now: dt.datetime) -> list[Sms]:
    out: list[Sms] = []
    partners = [c.phone for c in rng.sample(contacts, 5)] + [_phone_number(rng)]
    mid = 1
    for i, number in enumerate(partners):
        t = now - dt.timedelta(hours=rng.randint(2, 24 * 9), minutes=rng.randint(0, 59))
        for j in range(rng.randint(2, 5)):
            outgoing = j % 2 == 1
            body = rng.choice(SMS_LINES_OUT if outgoing else SMS_LINES_IN)
            out.append(
                Sms(id=mid, address=number, body=body, outgoing=outgoing, timestamp=t, read=True)
            )
            mid += 1
            t += dt.timedelta(minutes=rng.randint(1, 90))
        if i < 2 and not out[-1].outgoing:
            out[-1].read = False
    return out


def _expenses(rng: random.Random, today: dt.date) -> list[Expense]:
    out: list[Expense] = []
    for i in range(1, 16):
        cat = rng.choice(EXPENSE_CATEGORIES)
        name = rng.choice(EXPENSE_NAMES[cat])
        amount = round(rng.uniform(3, 60) if cat != "Housing" else rng.uniform(200, 1500), 2)
        out.append(
            Expense(
                id=i,
                name=name,
                amount=amount,
                category=cat,
                date=today - dt.timedelta(days=rng.randint(0, 30)),
            )
        )
    return out


def _files(rng: random.Random, now: dt.datetime, contacts: list[Contact]) -> SimFS:
    base = to_epoch(now)
    fs = SimFS(Entry("", statmod.S_IFDIR | 0o755, base, children={}))
    for d in ("/data/local/tmp", "/system/bin", "/sdcard"):
        fs.mkdir(d)
    for d in SDCARD_DIRS:
        fs.mkdir(f"/sdcard/{d}")
    fs.mkdir(NOTES_DIR)

    def put(path: str, data: bytes, days_ago: float) -> None:
        fs.write(path, data, mtime=base - int(days_ago * 86400))

    a, b = rng.sample(contacts, 2)
    for name, body in NOTE_FILES.items():
        put(
            f"{NOTES_DIR}/{name}",
            body.format(a=a.first_name, b=b.first_name).encode(),
            rng.uniform(0.5, 20),
        )
    day = now.date()
    for _ in range(5):
        when = now - dt.timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 1440))
        name = f"IMG_{when:%Y%m%d_%H%M%S}.jpg"
        put(
            f"/sdcard/DCIM/Camera/{name}",
            b"\xff\xd8\xff\xe0" + rng.randbytes(2048),
            (day - when.date()).days,
        )
    downloads = (
        "boarding_pass.pdf",
        "invoice_2291.pdf",
        "recipe_book.epub",
        "podcast.mp3",
        "photo_from_sam.jpg",
        "manual.pdf",
    )
    for name in rng.sample(downloads, 4):
        put(f"/sdcard/Download/{name}", rng.randbytes(rng.randint(4000, 60000)), rng.uniform(1, 30))
    put("/sdcard/Documents/resume.pdf", rng.randbytes(24000), 12)
    put("/sdcard/Documents/todo.txt", b"Call the plumber\nRenew passport\nPay rent\n", 2)
    put("/sdcard/Music/morning_song.mp3", rng.randbytes(50000), 60)
    put("/sdcard/Pictures/Screenshot_20250930.png", rng.randbytes(9000), 15)
    put("/sdcard/Recordings/voice_memo_01.m4a", rng.randbytes(12000), 5)
    # Folders get the reset time, not the host's clock, so snapshots are reproducible.
    _stamp_dirs(fs.root, base)
    return fs


def _stamp_dirs(e: Entry, mtime: int) -> None:
    if e.children is None:
        return
    e.mtime = mtime
    for c in e.children.values():
        _stamp_dirs(c, mtime)


def generate(seed: int, now: dt.datetime) -> tuple[PhoneState, SimFS]:
    rng = random.Random(f"artemis-phone-{seed}")
    today = now.date()
    contacts = _contacts(rng)
    state = PhoneState(
        settings=SettingsState(extra=default_extra(seed)),
        contacts=contacts,
        alarms=_alarms(rng),
        events=_events(rng, today),
        messages=_messages(rng, contacts, now),
        expenses=_expenses(rng, today),
    )
    return state, _files(rng, now, contacts)
