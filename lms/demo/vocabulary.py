"""The demo academy's words: names, organisations, courses and topics, in Georgian and English.

Plain data, no database. The course texts follow the academy's own description of its
programme (shared/seed): civil budgets, petitions, public hearings, open and accountable
governance, youth councils, cooperation with civil-society organisations, grant writing.
"""

DOMAIN = 'demo.academy.ge'

#: The accounts people log in with: key, e-mail, role, Georgian name, gender, sector,
#: organisation (kind, Georgian name) or None, position.
ACCOUNTS = (
    (
        'admin',
        f'admin@{DOMAIN}',
        'admin',
        'თამარ გელაშვილი',
        'female',
        'other',
        None,
        'აკადემიის პროგრამის კოორდინატორი',
    ),
    (
        'trainer',
        f'trainer@{DOMAIN}',
        'trainer',
        'ლევან კაპანაძე',
        'male',
        'cso',
        ('cso', 'ადგილობრივი დემოკრატიის ინსტიტუტი'),
        'ტრენერი, მონაწილეობითი ბიუჯეტირების ექსპერტი',
    ),
    (
        'trainer2',
        f'trainer2@{DOMAIN}',
        'trainer',
        'ეკატერინე ლომიძე',
        'female',
        'other',
        ('academia', 'ილიას სახელმწიფო უნივერსიტეტი'),
        'ასოცირებული პროფესორი, ტრენერი',
    ),
    (
        'participant',
        f'participant@{DOMAIN}',
        'participant',
        'გიორგი მაისურაძე',
        'male',
        'civil_servant',
        ('municipality', 'ქუთაისი'),
        'მერიის საზოგადოებასთან ურთიერთობის სამსახურის მთავარი სპეციალისტი',
    ),
)

#: Trainers and experts without a login: Georgian name, gender.
OTHER_TRAINERS = (
    ('ნინო ჭანტურია', 'female'),
    ('დავით ხუციშვილი', 'male'),
    ('მაია შენგელია', 'female'),
    ('ირაკლი ბოლქვაძე', 'male'),
    ('ნათია კვარაცხელია', 'female'),
)

#: Experts from partner organisations who consult municipalities but have no account.
GUEST_EXPERTS = ('იაცეკ ნოვაკი', 'აგნიეშკა კოვალსკა', 'ზურაბ ჯაფარიძე')

FEMALE_NAMES = (
    'ნინო', 'მარიამ', 'ანა', 'თამარ', 'ეკატერინე', 'ნათია', 'ქეთევან', 'სალომე', 'მაია',
    'ლიკა', 'ნანა', 'თეონა', 'ხათუნა', 'ელენე', 'ირინე', 'მაკა', 'სოფიო', 'ლელა', 'ნატო',
    'თინათინ', 'ბარბარე', 'ნუცა', 'ია', 'მანანა', 'ეთერ', 'დარეჯან', 'ნესტან', 'თეა', 'ლია',
    'ქრისტინე', 'ნინი', 'გვანცა', 'შორენა', 'ციცინო', 'რუსუდან',
)  # fmt: skip
MALE_NAMES = (
    'გიორგი', 'დავით', 'ლევან', 'ნიკოლოზ', 'ალექსანდრე', 'ირაკლი', 'ზურაბ', 'გიგა', 'ლაშა',
    'დიმიტრი', 'ლუკა', 'თორნიკე', 'ბექა', 'ვახტანგ', 'შალვა', 'გოჩა', 'ზვიად', 'მამუკა',
    'კახა', 'ბესიკ', 'ოთარ', 'ნოდარ', 'თემურ', 'სანდრო', 'ილია', 'ვაჟა', 'რევაზ', 'გელა',
    'პაატა', 'მიხეილ', 'ნიკა', 'თამაზ', 'ერეკლე', 'სოსო', 'ავთანდილ',
)  # fmt: skip
SURNAMES = (
    'ბერიძე', 'კაპანაძე', 'გელაშვილი', 'მაისურაძე', 'გიორგაძე', 'ლომიძე', 'წიკლაური',
    'ბოლქვაძე', 'კვარაცხელია', 'ნოზაძე', 'ხუციშვილი', 'შენგელია', 'აბულაძე', 'მამულაშვილი',
    'ჯაფარიძე', 'ქავთარაძე', 'ცერცვაძე', 'ჩიქოვანი', 'მელაძე', 'ხარაიშვილი', 'ბაქრაძე',
    'გოგოლაძე', 'დოლიძე', 'კიკნაძე', 'ლორთქიფანიძე', 'მჭედლიშვილი', 'ნადირაძე',
    'სულაბერიძე', 'ტაბატაძე', 'ფირცხალავა', 'ქობალია', 'ღლონტი', 'შარაშიძე', 'ჩხეიძე',
    'ცინცაძე', 'ძნელაძე', 'წერეთელი', 'ჭანტურია', 'ხვედელიძე', 'ჯანელიძე', 'გაბუნია',
    'ესებუა', 'თოდუა', 'კაკაბაძე', 'მიქაძე', 'ოქროპირიძე', 'რაზმაძე', 'სიხარულიძე',
    'ტყეშელაშვილი', 'ურუშაძე', 'ფხაკაძე', 'ქიქავა', 'ღვინიაშვილი', 'ყიფიანი', 'შონია',
    'ჩაჩანიძე', 'ციცქიშვილი', 'ძიძიგური', 'წულაძე', 'ჭელიძე', 'ხაჩიძე', 'ჯღარკავა',
    'ბარამიძე', 'გვენეტაძე', 'დარჩია', 'ვაშაკიძე', 'ზარანდია', 'თევზაძე', 'იაშვილი',
    'კობახიძე', 'ლაბაძე', 'მესხი', 'ნიჟარაძე', 'ოდიშარია', 'ჟვანია', 'რუხაძე', 'სვანიძე',
    'ტუღუში', 'უგულავა', 'ფაჩულია', 'ქარჩავა', 'ღუდუშაური', 'ყაჭიური', 'შუბლაძე',
    'ჩიკვაიძე', 'ცხადაძე', 'ძაგნიძე', 'წიწკიშვილი', 'ჭყონია', 'ხომერიკი', 'ჯავახიშვილი',
)  # fmt: skip

POSITIONS = {
    'civil_servant': (
        'მერიის საზოგადოებასთან ურთიერთობის სამსახურის სპეციალისტი',
        'საკრებულოს აპარატის მთავარი სპეციალისტი',
        'საფინანსო-საბიუჯეტო სამსახურის უფროსი სპეციალისტი',
        'სოციალური სამსახურის სპეციალისტი',
        'ადმინისტრაციული ერთეულის რწმუნებული',
        'საკრებულოს წევრი',
        'ინფრასტრუქტურის სამსახურის სპეციალისტი',
        'ეკონომიკური განვითარების სამსახურის სპეციალისტი',
        'განათლების, კულტურისა და ახალგაზრდობის სამსახურის სპეციალისტი',
        'მერის მოადგილე',
    ),
    'government': (
        'სამინისტროს დეპარტამენტის მთავარი სპეციალისტი',
        'სამართლებრივი დეპარტამენტის სპეციალისტი',
        'პროექტების მართვის სამმართველოს სპეციალისტი',
    ),
    'cso': (
        'პროექტის კოორდინატორი',
        'აღმასრულებელი დირექტორი',
        'პროგრამის მენეჯერი',
        'მოხალისე',
        'იურისტი',
        'კომუნიკაციის მენეჯერი',
        'ფინანსური მენეჯერი',
    ),
    'citizen': (
        'სტუდენტი',
        'მასწავლებელი',
        'ფერმერი',
        'მეწარმე',
        'საინიციატივო ჯგუფის წევრი',
        'ექიმი',
        'ბიბლიოთეკარი',
    ),
    'academia': ('ლექტორი', 'მკვლევარი', 'დოქტორანტი'),
}

#: kind, Georgian name, English name, region code (None: works nationwide).
ORGANIZATIONS = (
    ('cso', 'სოლიდარობის ფონდი PL საქართველოში', 'Solidarity Fund PL in Georgia', None),
    ('cso', 'ადგილობრივი დემოკრატიის ინსტიტუტი', 'Institute for Local Democracy', 'tbilisi'),
    (
        'cso',
        'ქუთაისის სამოქალაქო ინიციატივების ცენტრი',
        'Kutaisi Civic Initiatives Centre',
        'imereti',
    ),
    ('cso', 'კახეთის ახალგაზრდული ქსელი', 'Kakheti Youth Network', 'kakheti'),
    ('cso', 'გურიის ქალთა ასოციაცია', "Guria Women's Association", 'guria'),
    (
        'cso',
        'სამეგრელოს განვითარების ფონდი',
        'Samegrelo Development Foundation',
        'samegrelo-zemo-svaneti',
    ),
    ('cso', 'ჯავახეთის თემების კავშირი', 'Javakheti Community Union', 'samtskhe-javakheti'),
    ('cso', 'თბილისის ურბანული ფორუმი', 'Tbilisi Urban Forum', 'tbilisi'),
    ('cso', 'მთის თემების ასოციაცია', 'Mountain Communities Association', 'mtskheta-mtianeti'),
    ('cso', 'აჭარის სამოქალაქო პლატფორმა', 'Adjara Civic Platform', 'adjara'),
    ('cso', 'შიდა ქართლის მოქალაქეთა ალიანსი', "Shida Kartli Citizens' Alliance", 'shida-kartli'),
    (
        'cso',
        'ქვემო ქართლის მრავალეროვნული ცენტრი',
        'Kvemo Kartli Multi-Ethnic Centre',
        'kvemo-kartli',
    ),
    (
        'cso',
        'რაჭის ტურიზმისა და განვითარების ასოციაცია',
        'Racha Tourism and Development Association',
        'racha-lechkhumi-kvemo-svaneti',
    ),
    (
        'government',
        'საქართველოს რეგიონული განვითარებისა და ინფრასტრუქტურის სამინისტრო',
        'Ministry of Regional Development and Infrastructure of Georgia',
        'tbilisi',
    ),
    ('government', 'საჯარო სამსახურის ბიურო', 'Civil Service Bureau', 'tbilisi'),
    (
        'government',
        'აჭარის ავტონომიური რესპუბლიკის მთავრობა',
        'Government of the Autonomous Republic of Adjara',
        'adjara',
    ),
    (
        'academia',
        'ივანე ჯავახიშვილის სახელობის თბილისის სახელმწიფო უნივერსიტეტი',
        'Ivane Javakhishvili Tbilisi State University',
        'tbilisi',
    ),
    ('academia', 'ილიას სახელმწიფო უნივერსიტეტი', 'Ilia State University', 'tbilisi'),
    (
        'academia',
        'აკაკი წერეთლის სახელმწიფო უნივერსიტეტი',
        'Akaki Tsereteli State University',
        'imereti',
    ),
    (
        'academia',
        'ბათუმის შოთა რუსთაველის სახელმწიფო უნივერსიტეტი',
        'Batumi Shota Rustaveli State University',
        'adjara',
    ),
    (
        'other',
        'საქართველოს ადგილობრივ თვითმმართველობათა ეროვნული ასოციაცია',
        'National Association of Local Authorities of Georgia',
        'tbilisi',
    ),
)

#: The academy's signatory for certificates of every course: Georgian and English name and title.
SIGNATORY = (
    'მარინა ხარაიშვილი',
    'Marina Kharaishvili',
    'აკადემიის დირექტორი',
    'Director of the Academy',
)

#: Municipalities that host more often than the rest (cities and regional centres).
HOST_WEIGHTS = {
    'თბილისი': 6,
    'ქუთაისი': 4,
    'ბათუმი': 4,
    'რუსთავი': 3,
    'თელავი': 3,
    'გორი': 3,
    'ზუგდიდი': 3,
    'ოზურგეთი': 3,
    'ახალციხე': 3,
    'ამბროლაური': 2,
    'მცხეთა': 2,
    'ფოთი': 2,
    'ზესტაფონი': 2,
    'მარნეული': 2,
}

#: (Georgian, English) of each place; {town} is the town's name in that language.
VENUES = (
    ('{town}, მერიის სხდომათა დარბაზი', '{town}, City Hall meeting room'),
    ('{town}, საკრებულოს სხდომათა დარბაზი', '{town}, City Council meeting room'),
    ('{town}, ახალგაზრდული ცენტრი', '{town}, Youth Centre'),
    ('{town}, საჯარო ბიბლიოთეკა', '{town}, Public Library'),
    ('{town}, სასტუმროს საკონფერენციო დარბაზი', '{town}, hotel conference hall'),
)
CONFERENCE_VENUES = (
    ('{town}, საკონფერენციო ცენტრი', '{town}, Conference Centre'),
    ('{town}, სასტუმროს საკონფერენციო დარბაზი', '{town}, hotel conference hall'),
)
ONLINE_VENUE = ('ონლაინ, Zoom', 'Online, Zoom')

MOTIVATIONS = (
    'ჩვენს მუნიციპალიტეტში სამოქალაქო ბიუჯეტის დანერგვას ვგეგმავთ.',
    'მინდა ვისწავლო, როგორ ჩავრთო ახალგაზრდები თემის საქმეებში.',
    'ვმუშაობ საზოგადოებასთან ურთიერთობის სამსახურში და ეს ცოდნა ყოველდღიურად დამჭირდება.',
    'ჩვენი ორგანიზაცია საგრანტო კონკურსში მონაწილეობას აპირებს.',
    'საინიციატივო ჯგუფთან ერთად პეტიციის მომზადება გვინდა.',
    'საჯარო განხილვებს ხშირად ვატარებთ, მაგრამ მოსახლეობა ცოტა მოდის.',
    'მაინტერესებს, როგორ მუშაობს მონაწილეობითი ბიუჯეტირება სხვა ქვეყნებში.',
)

CONSULTATION_TOPICS = (
    'სამოქალაქო ბიუჯეტის დებულების პროექტის მომზადება',
    'მონაწილეობითი ბიუჯეტირების კენჭისყრის ორგანიზება',
    'ახალგაზრდული საბჭოს დებულება',
    'პეტიციების განხილვის წესი საკრებულოში',
    'საჯარო განხილვების წლიური გეგმა',
    'ჩართულობის რუბრიკა მუნიციპალიტეტის ვებგვერდზე',
    'სოფლის მხარდაჭერის პროგრამის საერთო კრებები',
    'ღია მმართველობის ადგილობრივი სამოქმედო გეგმა',
    'გენდერული თანასწორობის საბჭოს სამუშაო გეგმა',
)


def _course(code, kind, hours, since, title, description, topics, **extra):
    return {
        'code': code,
        'kind': kind,
        'hours': hours,
        'since': since,
        'title_ka': title[0],
        'title_en': title[1],
        'description_ka': description[0],
        'description_en': description[1],
        'topics': topics,
        'min_attendance_pct': extra.get('min_attendance_pct', 80),
        'grants_certificate': extra.get('grants_certificate', True),
        'validity_months': extra.get('validity_months'),
        #: Sectors the course is meant for, with how much likelier they apply.
        'audience': extra.get('audience', {}),
        #: 'online': always online; 'weekly': online sessions once a week.
        'mode': extra.get('mode', 'any'),
    }


COURSES = (
    _course(
        'CB-101',
        'training',
        12,
        2016,
        (
            'სამოქალაქო ბიუჯეტი: მონაწილეობითი ბიუჯეტირების საფუძვლები',
            'Civil budget: the foundations of participatory budgeting',
        ),
        (
            'როგორ მუშაობს „სამოქალაქო ბიუჯეტი“: მოქალაქეები თავად სთავაზობენ და ირჩევენ '
            'პროექტებს, რომლებსაც მუნიციპალიტეტი ბიუჯეტიდან აფინანსებს. ტრენინგზე '
            'განვიხილავთ საერთაშორისო და ქართულ გამოცდილებას, პროცესის ეტაპებსა და '
            'მოსახლეობის ჩართვის გზებს.',
            'How a "civil budget" works: residents propose and choose the projects that the '
            'municipality funds from its budget. The training covers international and '
            'Georgian experience, the stages of the process and ways of bringing residents in.',
        ),
        (
            'მონაწილეობითი ბიუჯეტირების პრინციპები',
            'საერთაშორისო გამოცდილება: პოლონეთის მაგალითი',
            'პროცესის ეტაპები: იდეებიდან კენჭისყრამდე',
            'პრაქტიკული სამუშაო: პროექტის განაცხადი',
        ),
    ),
    _course(
        'CB-201',
        'training',
        24,
        2017,
        (
            'სამოქალაქო ბიუჯეტის დანერგვა მუნიციპალიტეტში',
            'Introducing a civil budget in a municipality',
        ),
        (
            'საჯარო მოხელეებისთვის: სამოქალაქო ბიუჯეტის დებულების მომზადება, თანხის '
            'დაგეგმვა, პროექტების შეფასება და კენჭისყრის ორგანიზება, შედეგების მონიტორინგი '
            'და ანგარიშგება მოსახლეობის წინაშე. მონაწილეები ამზადებენ საკუთარი '
            'მუნიციპალიტეტის სამოქმედო გეგმას.',
            'For civil servants: drafting the civil budget regulation, planning the amount, '
            'assessing projects and organising the vote, monitoring the results and reporting '
            'back to residents. Participants prepare an action plan for their own municipality.',
        ),
        (
            'სამართლებრივი ჩარჩო და დებულება',
            'ბიუჯეტის დაგეგმვა და თანხის განსაზღვრა',
            'იდეების შეგროვება და შეფასება',
            'კენჭისყრის ორგანიზება',
            'კომუნიკაცია მოსახლეობასთან',
            'მონიტორინგი და ანგარიშგება',
            'სამოქმედო გეგმის მომზადება',
            'სამოქმედო გეგმების წარდგენა',
        ),
        audience={'civil_servant': 5},
    ),
    _course(
        'PET-101',
        'training',
        12,
        2016,
        ('პეტიციები და მოქალაქეთა ინიციატივები', "Petitions and citizens' initiatives"),
        (
            'ადგილობრივი თვითმმართველობის კოდექსით გათვალისწინებული პეტიცია: ვის შეუძლია '
            'მისი წარდგენა, რამდენი ხელმოწერაა საჭირო და როგორ განიხილავს მას საკრებულო. '
            'პრაქტიკული სავარჯიშო: პეტიციის შედგენა და ხელმოწერების შეგროვება.',
            'The petition under the Local Self-Government Code: who may submit one, how many '
            'signatures it needs and how the municipal council considers it. Practical '
            'exercise: drafting a petition and collecting signatures.',
        ),
        (
            'პეტიციის სამართლებრივი საფუძვლები',
            'პეტიციის შედგენა',
            'ხელმოწერების შეგროვება და ელექტრონული პეტიცია',
            'საკრებულოში განხილვა და ადვოკატირება',
        ),
        audience={'citizen': 2, 'cso': 2},
    ),
    _course(
        'PH-101',
        'training',
        12,
        2016,
        ('საჯარო განხილვები: დაგეგმვა და წარმართვა', 'Public hearings: planning and running them'),
        (
            'როგორ დავგეგმოთ საჯარო განხილვა ისე, რომ მოსახლეობამ მართლაც მიიღოს '
            'მონაწილეობა: ინფორმირება, დრო და ადგილი, ფასილიტაცია, ოქმი და უკუკავშირი. '
            'განსაკუთრებული ყურადღება ეთმობა ბიუჯეტის პროექტისა და სივრცითი დაგეგმვის '
            'განხილვებს.',
            'How to plan a public hearing that residents really take part in: informing '
            'people, time and place, facilitation, minutes and feedback. Special attention '
            'goes to hearings on the draft budget and on spatial planning.',
        ),
        (
            'საჯარო განხილვის დაგეგმვა',
            'მოსახლეობის ინფორმირება',
            'განხილვის ფასილიტაცია',
            'ოქმი, უკუკავშირი და შედეგების გამოქვეყნება',
        ),
        audience={'civil_servant': 2},
    ),
    _course(
        'OG-101',
        'training',
        18,
        2017,
        ('ღია და ანგარიშვალდებული მმართველობა', 'Open and accountable governance'),
        (
            'ღია მმართველობის პრინციპები ადგილობრივ დონეზე: გამჭვირვალობა, '
            'ანგარიშვალდებულება, მოქალაქეთა მონაწილეობა და ინოვაცია. მერისა და საკრებულოს '
            'ანგარიშები, საჯარო ინფორმაციის პროაქტიული გამოქვეყნება, ღია მმართველობის '
            'სამოქმედო გეგმა.',
            'The principles of open government at the local level: transparency, '
            'accountability, citizen participation and innovation. Reports of the mayor and '
            'the council, proactive publication of public information, an open-government '
            'action plan.',
        ),
        (
            'ღია მმართველობის პრინციპები',
            'გამჭვირვალობა და საჯარო ინფორმაცია',
            'მერისა და საკრებულოს ანგარიშგება',
            'მოქალაქეთა მონაწილეობის მექანიზმები',
            'ღია მმართველობის სამოქმედო გეგმა',
            'ჯგუფური სამუშაოების წარდგენა',
        ),
        audience={'civil_servant': 3},
    ),
    _course(
        'YC-101',
        'training',
        12,
        2018,
        (
            'ახალგაზრდული საბჭოები: შექმნა და საქმიანობა',
            'Youth councils: setting up and running them',
        ),
        (
            'ახალგაზრდების ჩართვა მუნიციპალიტეტის გადაწყვეტილებებში: ახალგაზრდული საბჭოს '
            'დებულება, არჩევა, სამუშაო გეგმა და თანამშრომლობა მერიასა და საკრებულოსთან.',
            "Bringing young people into the municipality's decisions: the youth council's "
            "statute, elections, work plan and cooperation with the mayor's office and the "
            'council.',
        ),
        (
            'ახალგაზრდული საბჭოს როლი',
            'დებულება და არჩევნები',
            'სამუშაო გეგმა და ბიუჯეტი',
            'თანამშრომლობა მერიასა და საკრებულოსთან',
        ),
        audience={'citizen': 3, 'cso': 2},
    ),
    _course(
        'CSO-101',
        'training',
        12,
        2017,
        (
            'მუნიციპალიტეტი და სამოქალაქო ორგანიზაციები: თანამშრომლობის ფორმები',
            'Municipalities and civil-society organisations: ways of working together',
        ),
        (
            'მემორანდუმები, ერთობლივი პროექტები, მუნიციპალური გრანტები და სათათბირო '
            'ორგანოები. როგორ ააწყოს ორგანიზაციამ გრძელვადიანი თანამშრომლობა ადგილობრივ '
            'ხელისუფლებასთან.',
            'Memoranda, joint projects, municipal grants and advisory bodies. How an '
            'organisation builds lasting cooperation with local government.',
        ),
        (
            'თანამშრომლობის სამართლებრივი ფორმები',
            'მუნიციპალური გრანტები',
            'სათათბირო ორგანოები',
            'ერთობლივი პროექტის დაგეგმვა',
        ),
        audience={'cso': 3, 'civil_servant': 2},
    ),
    _course(
        'GW-101',
        'training',
        8,
        2020,
        (
            'საგრანტო განაცხადის მომზადება პარტიციპაციის პროექტებისთვის',
            'Grant writing for participation projects',
        ),
        (
            'ონლაინ კურსი სამოქალაქო ორგანიზაციებისთვის: პრობლემის ანალიზი, მიზნები და '
            'შედეგები, ლოგიკური ჩარჩო, ბიუჯეტი და ანგარიშგება. მონაწილეები ამზადებენ '
            'საკუთარი პროექტის განაცხადს.',
            'An online course for civil-society organisations: problem analysis, objectives '
            'and results, the logical framework, budget and reporting. Participants prepare an '
            'application for a project of their own.',
        ),
        (
            'პრობლემის ანალიზი და მიზნები',
            'ლოგიკური ჩარჩო',
            'ბიუჯეტი და ანგარიშგება',
            'განაცხადების განხილვა',
        ),
        audience={'cso': 5},
        mode='weekly',
        validity_months=36,
    ),
    _course(
        'FAC-101',
        'training',
        18,
        2019,
        (
            'ფასილიტაციის უნარები მონაწილეობითი პროცესებისთვის',
            'Facilitation skills for participatory processes',
        ),
        (
            'შეხვედრის დაგეგმვა და წარმართვა, ჯგუფური მუშაობის მეთოდები, კონფლიქტის მართვა '
            'და კონსენსუსის მიღწევა. ტრენინგი პრაქტიკულ სავარჯიშოებზეა აგებული.',
            'Planning and running a meeting, group-work methods, handling conflict and reaching '
            'consensus. The training is built on practical exercises.',
        ),
        (
            'ფასილიტატორის როლი',
            'შეხვედრის დაგეგმვა',
            'ჯგუფური მუშაობის მეთოდები',
            'კონფლიქტის მართვა',
            'კონსენსუსის მიღწევა',
            'პრაქტიკული ფასილიტაცია',
        ),
    ),
    _course(
        'SEM-VSP',
        'seminar',
        4,
        2016,
        (
            'სოფლის მხარდაჭერის პროგრამა და დასახლების საერთო კრება',
            "The village support programme and the settlement's general assembly",
        ),
        (
            'როგორ ირჩევენ სოფლის მცხოვრებლები საერთო კრებაზე დასაფინანსებელ პროექტებს და '
            'რა როლი აქვს ამ პროცესში ადმინისტრაციული ერთეულის რწმუნებულს.',
            'How villagers choose the projects to fund at the general assembly, and the role '
            "of the mayor's representative in the administrative unit.",
        ),
        ('საერთო კრების მომზადება და ჩატარება',),
        audience={'civil_servant': 2, 'citizen': 2},
    ),
    _course(
        'SEM-FOI',
        'seminar',
        4,
        2016,
        ('საჯარო ინფორმაციის ხელმისაწვდომობა', 'Access to public information'),
        (
            'საჯარო ინფორმაციის გაცემის წესი და ვადები, პროაქტიული გამოქვეყნება და ის, თუ '
            'როგორ იყენებენ მოქალაქეები ამ უფლებას.',
            'The rules and deadlines for releasing public information, proactive publication, '
            'and how residents use this right.',
        ),
        ('საჯარო ინფორმაციის გაცემა და პროაქტიული გამოქვეყნება',),
    ),
    _course(
        'SEM-GEN',
        'seminar',
        4,
        2018,
        (
            'გენდერული თანასწორობა ადგილობრივ თვითმმართველობაში',
            'Gender equality in local self-government',
        ),
        (
            'გენდერული თანასწორობის საბჭო, გენდერული ბიუჯეტირება და ქალების მონაწილეობა '
            'ადგილობრივ გადაწყვეტილებებში.',
            "The gender equality council, gender budgeting and women's participation in local "
            'decisions.',
        ),
        ('გენდერული ბიუჯეტირება და თანასწორობის საბჭო',),
    ),
    _course(
        'SEM-EPA',
        'seminar',
        3,
        2020,
        ('ელექტრონული ჩართულობის ინსტრუმენტები', 'Tools for e-participation'),
        (
            'ელექტრონული პეტიციები, ონლაინ გამოკითხვები და სამოქალაქო ბიუჯეტის ელექტრონული '
            'კენჭისყრა: რა ინსტრუმენტები არსებობს და როგორ შევარჩიოთ.',
            'E-petitions, online surveys and e-voting for the civil budget: which tools exist '
            'and how to choose one.',
        ),
        ('ელექტრონული ჩართულობის ინსტრუმენტები',),
    ),
    _course(
        'CONF-LD',
        'conference',
        14,
        2016,
        (
            'ადგილობრივი დემოკრატია და მოქალაქეთა ჩართულობა: წლიური კონფერენცია',
            'Local democracy and citizen participation: the annual conference',
        ),
        (
            'აკადემიის წლიური კონფერენცია მუნიციპალიტეტების, სამოქალაქო ორგანიზაციების, '
            'ექსპერტებისა და დონორების მონაწილეობით: წლის შედეგები, საუკეთესო პრაქტიკა და '
            'მომავალი გეგმები.',
            "The academy's annual conference with municipalities, civil-society organisations, "
            "experts and donors: the year's results, good practice and plans ahead.",
        ),
        ('წლის შედეგები და საუკეთესო პრაქტიკა', 'სამუშაო ჯგუფები და მომავალი გეგმები'),
        min_attendance_pct=50,
    ),
    _course(
        'CONF-PB',
        'conference',
        7,
        2017,
        (
            'მონაწილეობითი ბიუჯეტირება: პოლონეთისა და საქართველოს გამოცდილება',
            'Participatory budgeting: Polish and Georgian experience',
        ),
        (
            'საერთაშორისო კონფერენცია „სოლიდარობის ფონდი PL საქართველოში“ მხარდაჭერით: '
            'პოლონელი და ქართველი მერები, ექსპერტები და აქტივისტები ერთმანეთს სამოქალაქო '
            'ბიუჯეტის გამოცდილებას უზიარებენ.',
            'An international conference supported by Solidarity Fund PL in Georgia: Polish and '
            'Georgian mayors, experts and activists share their experience of civil budgets.',
        ),
        ('სამოქალაქო ბიუჯეტი პოლონეთსა და საქართველოში',),
    ),
    _course(
        'FOR-YTH',
        'forum',
        6,
        2017,
        ('ახალგაზრდული ფორუმი „ჩემი ქალაქი — ჩემი ხმა“', 'Youth forum "My town, my voice"'),
        (
            'ფორუმი ახალგაზრდებისთვის, ახალგაზრდული საბჭოებისა და მუნიციპალიტეტების '
            'წარმომადგენლებისთვის: იდეების ბაზრობა, სამუშაო ჯგუფები და შეხვედრა მერთან.',
            'A forum for young people, youth councils and municipal staff: an ideas fair, '
            'working groups and a meeting with the mayor.',
        ),
        ('იდეების ბაზრობა და შეხვედრა მერთან',),
        audience={'citizen': 3},
        min_attendance_pct=100,
    ),
    _course(
        'FOR-REG',
        'forum',
        6,
        2018,
        (
            'რეგიონული ფორუმი: მუნიციპალიტეტი და სამოქალაქო საზოგადოება',
            'Regional forum: the municipality and civil society',
        ),
        (
            'რეგიონის მუნიციპალიტეტების, სამოქალაქო ორგანიზაციებისა და აქტიური მოქალაქეების '
            'შეხვედრა: საერთო გამოწვევები და თანამშრომლობის შესაძლებლობები.',
            "A meeting of the region's municipalities, civil-society organisations and active "
            'citizens: shared challenges and opportunities to work together.',
        ),
        ('საერთო გამოწვევები და თანამშრომლობა',),
        grants_certificate=False,
        min_attendance_pct=100,
    ),
)

#: Assessments some offerings of a course carry: title, max score, pass score, required.
ASSESSMENTS = {
    'CB-101': (('ცოდნის ტესტი', 20, 12, True),),
    'CB-201': (('სამოქმედო გეგმა', 100, 60, True), ('ცოდნის ტესტი', 20, 12, False)),
    'GW-101': (('პროექტის განაცხადი', 100, 70, True),),
    'FAC-101': (('ფასილიტაციის სავარჯიშო', 10, 6, False),),
    'OG-101': (('ჯგუფური პროექტი', 100, 60, True),),
}
#: Courses whose every offering is assessed; the others in ASSESSMENTS only some of the time.
ALWAYS_ASSESSED = ('CB-201', 'GW-101')
