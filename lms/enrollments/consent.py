"""The personal-data notice an applicant consents to, in Georgian and English, by version.

An application stores the version its applicant agreed to (Enrollment.consent_version)
and when (consented_at). A notice, once people have consented to it, is never edited:
a changed text is a new version, added here and named in CURRENT, so that every stored
consent still points at the words the person read.

The texts are written for the Law of Georgia on Personal Data Protection: who processes
the data, what, why, on which ground, how long, who else sees it, the person's rights
and whom to contact.
"""

CURRENT = '2026-1'

NOTICES = {
    '2026-1': {
        'ka': (
            'ვინ ამუშავებს თქვენს მონაცემებს. თქვენს პერსონალურ მონაცემებს ამუშავებს '
            'მონაწილეობის აკადემია (შემდგომში — აკადემია), რომელიც ატარებს ტრენინგებს, '
            'სემინარებს, კონფერენციებსა და ფორუმებს.',
            'რას ვაგროვებთ. სახელსა და გვარს, ელფოსტას, სექტორს, ორგანიზაციასა და '
            'თანამდებობას, საცხოვრებელ მუნიციპალიტეტს, თქვენს მოტივაციას, ხოლო თუ '
            'მიუთითებთ — სქესს; მოგვიანებით, მონაწილეობისას — დასწრებასა და შეფასების '
            'შედეგებს.',
            'რისთვის. განაცხადზე გადაწყვეტილების მისაღებად, თქვენთან დასაკავშირებლად '
            '(გადაწყვეტილება, ადგილის შეთავაზება, სერტიფიკატი), დასწრების აღრიცხვისა და '
            'სერტიფიკატის გასაცემად, ასევე სტატისტიკისთვის (მაგალითად, რამდენი მონაწილე იყო '
            'რომელი სექტორიდან და რეგიონიდან). სტატისტიკა ქვეყნდება მხოლოდ ჯამური რიცხვებით, '
            'სახელების გარეშე.',
            'საფუძველი. თქვენი თანხმობა, რომელსაც ამ ველის მონიშვნით გვაძლევთ. თანხმობის '
            'გარეშე განაცხადს ვერ განვიხილავთ.',
            'ვინ ნახავს. აკადემიის თანამშრომლები და ღონისძიების ტრენერები. მონაცემებს არ '
            'ვყიდით და არ გადავცემთ სხვას, გარდა კანონით დადგენილი შემთხვევებისა. '
            'სერტიფიკატის გადამოწმების გვერდზე ჩანს მხოლოდ ის, რაც სერტიფიკატზე წერია.',
            'რამდენ ხანს. განაცხადის მონაცემებს ვინახავთ ღონისძიების დასრულებიდან 5 წლის '
            'განმავლობაში, ხოლო გაცემული სერტიფიკატის მონაცემებს — სანამ სერტიფიკატის '
            'გადამოწმება შესაძლებელია. ამის შემდეგ მონაცემებს ვშლით ან ვაქცევთ ისე, რომ '
            'თქვენი ამოცნობა შეუძლებელი იყოს.',
            'თქვენი უფლებები. შეგიძლიათ მოითხოვოთ თქვენი მონაცემების ნახვა და ასლი, '
            'შესწორება, წაშლა ან დამუშავების შეზღუდვა, და ნებისმიერ დროს გაიხმოთ თანხმობა '
            '(ეს არ ცვლის იმას, რაც მანამდე კანონიერად გაკეთდა). თუ ფიქრობთ, რომ თქვენი '
            'უფლება დაირღვა, შეგიძლიათ მიმართოთ პერსონალურ მონაცემთა დაცვის სამსახურს.',
            'კონტაქტი. მოგვწერეთ აკადემიის ელფოსტაზე ან მიმართეთ აკადემიის ოფისს; '
            'გიპასუხებთ არაუგვიანეს 10 სამუშაო დღისა.',
        ),
        'en': (
            'Who processes your data. Your personal data are processed by the Participation '
            'Academy (the academy), which runs trainings, seminars, conferences and forums.',
            'What we collect. Your name, e-mail address, sector, organisation and position, '
            'municipality of residence, your motivation and, if you give it, your gender; '
            'later, when you take part, your attendance and assessment results.',
            'Why. To decide on your application; to contact you about it (the decision, a '
            'seat offered, your certificate); to record attendance and issue certificates; '
            'and for statistics (for example, how many participants came from which sector '
            'and region). Statistics are published only as totals, never with names.',
            'On what ground. Your consent, which you give by ticking this box. Without it '
            'we cannot consider your application.',
            'Who sees it. The academy staff and the trainers of the event. We do not sell '
            'your data or pass them on to anyone else, except where the law requires it. '
            "A certificate's verification page shows only what the certificate states.",
            'How long. Application data are kept for 5 years after the event ends, and the '
            'data of an issued certificate for as long as the certificate can be verified. '
            'After that they are erased or made anonymous.',
            'Your rights. You may ask to see your data and get a copy, to have them '
            'corrected or erased, or their processing restricted, and you may withdraw your '
            'consent at any time (this does not undo what was lawfully done before). If you '
            'think your rights were breached, you may complain to the Personal Data '
            'Protection Service of Georgia.',
            "Contact. Write to the academy's e-mail address or visit the academy's office; "
            'we answer within 10 working days.',
        ),
    },
}


def notice(version=CURRENT, lang='ka'):
    """The paragraphs of notice `version` in `lang` (Georgian unless English is asked)."""
    texts = NOTICES[version]
    return texts['en' if lang == 'en' else 'ka']
