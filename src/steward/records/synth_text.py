"""Word lists and tables for the synthetic student records (`steward.records.synth`).

Pure data, no Django. The wording is record content in English, as a district's systems would
store it (not interface text, so not translated). Weights are rough shares for a Massachusetts
city district.
"""

from __future__ import annotations

# --- Attendance ----------------------------------------------------------------------------

EXCUSED_NOTES = (
    ("Illness", 0.55),
    ("Medical appointment", 0.15),
    ("Dental appointment", 0.05),
    ("Family emergency", 0.05),
    ("Religious observance", 0.05),
    ("Bereavement", 0.02),
    ("Court appearance", 0.01),
    ("", 0.12),
)
UNEXCUSED_NOTES = (
    ("No note received", 0.45),
    ("Family vacation", 0.15),
    ("Missed the bus", 0.1),
    ("Parent called, no reason given", 0.15),
    ("", 0.15),
)
TARDY_NOTES = (
    ("", 0.5),
    ("Bus late", 0.15),
    ("Overslept", 0.15),
    ("Medical appointment", 0.08),
    ("Traffic", 0.12),
)
DISMISSED_NOTES = (
    ("Medical appointment", 0.45),
    ("Sent home by the nurse", 0.3),
    ("Family emergency", 0.1),
    ("Parent pick-up", 0.15),
)

# --- Grades --------------------------------------------------------------------------------

# Lowest percentage for each letter grade (a common US scale).
LETTERS = (
    (93, "A"),
    (90, "A-"),
    (87, "B+"),
    (83, "B"),
    (80, "B-"),
    (77, "C+"),
    (73, "C"),
    (70, "C-"),
    (67, "D+"),
    (63, "D"),
    (60, "D-"),
    (0, "F"),
)
# Elementary standards-based marks: 4 exceeds, 3 meets, 2 approaching, 1 not yet meeting.
STANDARDS = ((93, "4"), (78, "3"), (62, "2"), (0, "1"))

COMMENTS_HIGH = (
    "Excellent work this term.",
    "Consistently prepared and engaged.",
    "A pleasure to have in class.",
    "Shows real curiosity and leadership in group work.",
)
COMMENTS_MID = (
    "Good effort; keep it up.",
    "Participates well in class discussions.",
    "Making steady progress.",
    "Would benefit from checking work more carefully.",
)
COMMENTS_LOW = (
    "Missing several assignments.",
    "Would benefit from extra help after school.",
    "Needs to complete homework regularly.",
    "Please contact me to discuss a plan for improvement.",
)

# --- Discipline ----------------------------------------------------------------------------

# kind, weight per level (elementary, middle, high), description templates.
INCIDENTS: tuple[tuple[str, tuple[float, float, float], tuple[str, ...]], ...] = (
    (
        "disruption",
        (0.35, 0.22, 0.14),
        (
            "Repeatedly talked over the teacher during instruction after two redirections.",
            "Threw objects across the classroom during a lesson.",
            "Left assigned seat and distracted classmates during independent work.",
        ),
    ),
    (
        "defiance",
        (0.2, 0.15, 0.12),
        (
            "Refused to follow the teacher's instructions to move seats.",
            "Walked out of class without permission after being redirected.",
        ),
    ),
    (
        "truancy",
        (0.0, 0.06, 0.16),
        (
            "Absent from assigned class while present in school; found in the hallway.",
            "Left campus during lunch without permission.",
        ),
    ),
    (
        "device",
        (0.0, 0.12, 0.14),
        (
            "Used a cell phone during a test after being asked to put it away.",
            "Recorded a classmate on a phone without consent.",
        ),
    ),
    (
        "language",
        (0.12, 0.1, 0.08),
        (
            "Used profane language toward a classmate.",
            "Used inappropriate language toward a staff member.",
        ),
    ),
    (
        "bullying",
        (0.1, 0.08, 0.04),
        (
            "Repeatedly excluded and mocked a classmate at recess.",
            "Took a classmate's belongings and refused to return them, more than once.",
        ),
    ),
    (
        "cyberbullying",
        (0.0, 0.05, 0.04),
        ("Posted hurtful comments about a classmate in a group chat shared at school.",),
    ),
    (
        "harassment",
        (0.0, 0.03, 0.04),
        ("Made repeated unwelcome comments to a classmate after being asked to stop.",),
    ),
    (
        "fighting",
        (0.18, 0.1, 0.08),
        (
            "Pushed a classmate during a disagreement at recess.",
            "Involved in a physical altercation in the cafeteria.",
        ),
    ),
    (
        "vaping",
        (0.0, 0.04, 0.12),
        ("Found vaping in a school bathroom.", "In possession of a vape device on campus."),
    ),
    (
        "theft",
        (0.03, 0.03, 0.02),
        ("Took another student's headphones from a backpack.",),
    ),
    (
        "vandalism",
        (0.02, 0.02, 0.02),
        ("Wrote on a bathroom wall with a marker.", "Damaged a school laptop on purpose."),
    ),
)
# kind -> (action, weight, days) choices; days is a (low, high) range.
ACTIONS: dict[str, tuple[tuple[str, float, tuple[int, int]], ...]] = {
    "minor": (
        ("warning", 0.35, (0, 0)),
        ("conference", 0.2, (0, 0)),
        ("restorative", 0.15, (0, 0)),
        ("detention", 0.3, (1, 2)),
    ),
    "major": (
        ("conference", 0.15, (0, 0)),
        ("restorative", 0.15, (0, 0)),
        ("detention", 0.2, (1, 3)),
        ("in_school_suspension", 0.3, (1, 2)),
        ("out_of_school_suspension", 0.2, (1, 5)),
    ),
}
MAJOR = frozenset({"bullying", "cyberbullying", "harassment", "fighting", "vaping", "theft"})

# --- Health --------------------------------------------------------------------------------

# Alerts behind the roster's health-alert flag: severe or life-threatening, always active.
# (kind, text, severity, companion medication alert or "")
URGENT_ALERTS = (
    (
        "allergy",
        "Peanut allergy: anaphylaxis risk",
        "life_threatening",
        "Epinephrine auto-injector (EpiPen) in the health office; student carries a second",
    ),
    (
        "allergy",
        "Tree nut allergy: anaphylaxis risk",
        "life_threatening",
        "Epinephrine auto-injector (EpiPen) in the health office",
    ),
    (
        "allergy",
        "Bee sting allergy: anaphylaxis risk",
        "life_threatening",
        "Epinephrine auto-injector (EpiPen) on field trips and at recess",
    ),
    ("allergy", "Shellfish allergy", "severe", ""),
    (
        "condition",
        "Type 1 diabetes: monitor blood glucose before lunch and PE",
        "life_threatening",
        "Insulin administered by the nurse at lunch; glucose tablets in the classroom",
    ),
    (
        "condition",
        "Seizure disorder: follow the seizure action plan",
        "life_threatening",
        "Rescue medication (nasal midazolam) in the health office",
    ),
    (
        "condition",
        "Severe asthma",
        "severe",
        "Albuterol inhaler: student carries it; may use before PE",
    ),
    ("condition", "Heart condition: no competitive sports", "severe", ""),
)
# Everyday alerts for other students: (kind, text, severity, weight).
OTHER_ALERTS = (
    ("allergy", "Seasonal allergies", "mild", 0.22),
    ("allergy", "Penicillin allergy", "moderate", 0.12),
    ("allergy", "Latex allergy", "moderate", 0.05),
    ("allergy", "Lactose intolerance", "mild", 0.08),
    ("condition", "Mild asthma", "moderate", 0.2),
    ("condition", "Wears glasses: seat near the board", "mild", 0.12),
    ("condition", "Migraines: may rest in the health office", "mild", 0.06),
    ("medication", "ADHD medication administered by the nurse at lunch", "moderate", 0.1),
    ("condition", "Recovering from a broken arm: no PE until cleared", "mild", 0.05),
)
NURSE_NOTES = (
    ("Headache; rested 15 minutes in the health office and returned to class.", 0.2),
    ("Stomach ache; parent called and student dismissed home.", 0.1),
    ("Scraped knee at recess; cleaned and bandaged, returned to class.", 0.12),
    ("Nosebleed; resolved, returned to class.", 0.06),
    ("Bumped head on playground equipment; ice applied, parent notified.", 0.06),
    ("Vision screening: passed.", 0.1),
    ("Vision screening: referred to an eye doctor; letter sent home.", 0.03),
    ("Hearing screening: passed.", 0.08),
    ("Reported feeling anxious; talked with the nurse and returned to class.", 0.07),
    ("Fever of 100.8 F; parent picked the student up.", 0.08),
    ("Sore throat; parent notified, returned to class.", 0.06),
    ("Postural (scoliosis) screening: no concerns.", 0.04),
)
URGENT_NOTES = (
    "Medication administered per care plan.",
    "Reviewed the emergency action plan with the classroom teacher.",
    "Annual health care plan signed by the parent and the physician.",
)

# --- Special education ---------------------------------------------------------------------

# Massachusetts IEP disability categories, with rough shares of students on IEPs.
DISABILITIES = (
    ("specific_learning", 0.26),
    ("communication", 0.16),
    ("health", 0.13),
    ("autism", 0.13),
    ("developmental_delay", 0.09),  # ages 3-9 only: otherwise read as specific_learning
    ("emotional", 0.08),
    ("neurological", 0.06),
    ("intellectual", 0.04),
    ("multiple", 0.03),
    ("physical", 0.01),
    ("sensory_hearing", 0.007),
    ("sensory_vision", 0.003),
)
IEP_SERVICES = {
    "specific_learning": "Specialized reading instruction (structured literacy) 5 x 45 minutes "
    "a week in the learning center; academic support in the general education classroom.",
    "communication": "Speech and language therapy 2 x 30 minutes a week; language supports in "
    "the general education classroom.",
    "health": "Academic support 3 x 45 minutes a week; health care plan coordinated with the "
    "school nurse.",
    "autism": "Social pragmatics group 1 x 30 minutes a week; classroom aide support during "
    "transitions; speech and language consultation.",
    "developmental_delay": "Early childhood special education services 5 x 30 minutes a week; "
    "occupational therapy 1 x 30 minutes a week.",
    "emotional": "Counseling 1 x 30 minutes a week; behavior support plan; check-in and "
    "check-out with the adjustment counselor.",
    "neurological": "Executive function coaching 3 x 30 minutes a week; occupational therapy "
    "consultation.",
    "intellectual": "Substantially separate instruction in ELA and mathematics; inclusion in "
    "specials with aide support.",
    "multiple": "Substantially separate program with related services (speech, OT, PT).",
    "physical": "Physical therapy 1 x 30 minutes a week; adapted physical education.",
    "sensory_hearing": "Teacher of the deaf and hard of hearing 2 x 30 minutes a week; FM "
    "system in all classes.",
    "sensory_vision": "Teacher of the visually impaired 2 x 30 minutes a week; enlarged and "
    "digital materials.",
}
PLAN_504_CONDITIONS = (
    "attention deficit hyperactivity disorder (ADHD)",
    "anxiety disorder",
    "type 1 diabetes",
    "dyslexia",
    "severe food allergy",
    "asthma",
    "migraines",
)
# (text, setting)
ACCOMMODATIONS = (
    ("Preferential seating near the point of instruction", "classroom"),
    ("Directions repeated and checked for understanding", "classroom"),
    ("Copy of class notes provided", "classroom"),
    ("Breaks of up to 5 minutes as needed", "classroom"),
    ("Graphic organizers for writing tasks", "classroom"),
    ("Long assignments broken into parts with check-ins", "classroom"),
    ("Use of a calculator", "all"),
    ("Text-to-speech for reading assignments", "classroom"),
    ("Reduced homework with the same learning goals", "classroom"),
    ("Visual schedule and advance notice of transitions", "classroom"),
    ("Access to a quiet space when overwhelmed", "classroom"),
    ("Extended time (1.5x) on tests and quizzes", "testing"),
    ("Tests in a separate, quiet setting", "testing"),
    ("Test items read aloud (not for reading comprehension)", "testing"),
    ("Small-group testing", "testing"),
    ("Scribe or speech-to-text for written responses", "testing"),
    ("Frequent breaks", "all"),
    ("Noise-cancelling headphones", "all"),
    ("Large-print materials", "all"),
)

# --- Student work --------------------------------------------------------------------------

# subject -> ((title, extension or "" for a text body), ...). Extensions map to CONTENT_TYPES.
WORK: dict[str, tuple[tuple[str, str], ...]] = {
    "English Language Arts": (
        ("Personal narrative: a day I will remember", ""),
        ("Persuasive essay: should school start later?", ""),
        ("Book response: Wonder", ""),
        ("Poetry portfolio", "pdf"),
        ("Literary analysis: To Kill a Mockingbird", "docx"),
    ),
    "Mathematics": (
        ("Problem set: ratios and proportions", "pdf"),
        ("Explain your thinking: fractions on a number line", ""),
        ("Statistics project: survey of our class", "pptx"),
    ),
    "Science": (
        ("Lab report: density of liquids", "docx"),
        ("Plant growth observation journal", ""),
        ("Water cycle diagram", "png"),
        ("Science fair proposal", ""),
    ),
    "Social Studies": (
        ("Research notes: the Massachusetts Bay Colony", ""),
        ("Map of the ancient Mediterranean", "png"),
        ("Debate brief: the right to vote at 16", ""),
    ),
    "Homeroom": (
        ("Morning journal", ""),
        ("All about me poster", "jpg"),
        ("Reading log", ""),
    ),
    "Art": (("Self-portrait", "jpg"), ("Clay sculpture photo", "jpg"), ("Color wheel", "png")),
    "Music": (("Composition recording", "mp3"), ("Rhythm worksheet", "pdf")),
    "Physical Education": (("Fitness goals log", ""),),
    "Library Media": (("Book review", ""), ("Research skills worksheet", "pdf")),
    "World Languages": (("Journal entry in the target language", ""), ("Oral presentation", "mp4")),
    "Health": (("Nutrition plan", ""),),
    "Engineering": (("Bridge design sketch", "pdf"), ("Robot build log", "")),
    "Computer Science": (("Game project source code", "py"), ("Algorithm flowchart", "png")),
    "Theater": (("Monologue script", ""),),
    "Study Skills": (("Weekly planner reflection", ""),),
}
WORK_FALLBACK = (("Class notes", ""), ("Project presentation", "pptx"))
CONTENT_TYPES = {
    "": "text/plain",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "py": "text/x-python",
}
WORK_SENTENCES = (
    "I started by writing down everything I already knew.",
    "My first idea did not work, so I tried a different approach.",
    "The most surprising thing I learned was how much practice it took.",
    "I worked with a partner on the first part and finished the rest on my own.",
    "Next time I would plan my time better and start earlier.",
    "I used three sources and wrote my notes in my own words.",
    "My teacher's feedback helped me make my conclusion stronger.",
    "I am proud of how my final draft turned out.",
    "The hardest part was explaining my reasoning clearly.",
    "I checked my answers and fixed two mistakes.",
)
