"""The sentences actions build replies from, in French, English, Arabic and Darija in Latin letters.

Fixed replies (greetings, form questions) live in the domain's responses; these
are the pieces around catalog facts. A sentence missing in a language falls
back to French.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "details_button": {"fr": "Détails", "en": "Details", "ar": "التفاصيل", "ary": "Tafasil"},
    "eligible_button": {
        "fr": "Suis-je éligible ?",
        "en": "Am I eligible?",
        "ar": "هل أستوفي الشروط؟",
        "ary": "Wach ana éligible?",
    },
    "advisor_button": {
        "fr": "Parler à un conseiller",
        "en": "Talk to an advisor",
        "ar": "التحدث مع مستشار",
        "ary": "Nhder m3a conseiller",
    },
    "programs_intro": {
        "fr": "Voici les programmes du catalogue ({count}) :",
        "en": "Here are the programs in the catalog ({count}):",
        "ar": "إليكم البرامج الموجودة في الدليل ({count}):",
        "ary": "Hahoma les programmes li kaynin f l'catalogue ({count}):",
    },
    "programs_filtered_intro": {
        "fr": "Programmes pour {filters} ({count}) :",
        "en": "Programs for {filters} ({count}):",
        "ar": "البرامج التي تخص {filters} ({count}):",
        "ary": "Les programmes dyal {filters} ({count}):",
    },
    "programs_unstated_intro": {
        "fr": "Ces programmes ne précisent pas de {kinds} dans nos sources ; ils peuvent vous concerner :",
        "en": "These programs do not state a {kinds} in our sources; they may apply to you:",
        "ar": "هذه البرامج لا تحدد {kinds} في مصادرنا، وقد تهمكم:",
        "ary": "Had les programmes ma kaydkrouch {kinds} f les sources dyalna; momkin yhemmouk:",
    },
    "programs_none": {
        "fr": "Je ne trouve aucun programme pour {filters} dans le catalogue.",
        "en": "I find no program for {filters} in the catalog.",
        "ar": "لم أجد أي برنامج يخص {filters} في الدليل.",
        "ary": "Ma l9it hta programme dyal {filters} f l'catalogue.",
    },
    "program_unknown": {
        "fr": "Je ne connais pas ce programme. Voici ceux que je connais :",
        "en": "I don't know that program. Here are the ones I know:",
        "ar": "لا أعرف هذا البرنامج. إليكم البرامج التي أعرفها:",
        "ary": "Ma kan3refch had l'programme. Hahoma li kan3ref:",
    },
    "which_program": {
        "fr": "De quel programme parlez-vous ? Voici ceux que je connais :",
        "en": "Which program do you mean? Here are the ones I know:",
        "ar": "عن أي برنامج تتحدثون؟ إليكم البرامج التي أعرفها:",
        "ary": "3la ina programme katdwi? Hahoma li kan3ref:",
    },
    "source": {
        "fr": "Source : {source} — vérifié le {verified}",
        "en": "Source: {source} — checked on {verified}",
        "ar": "المصدر: {source} — تم التحقق منه بتاريخ {verified}",
        "ary": "Source: {source} — raja3naha nhar {verified}",
    },
    "source_untitled": {
        "fr": "article sans titre",
        "en": "untitled article",
        "ar": "مقال بدون عنوان",
        "ary": "article bla 3onwan",
    },
    "not_in_sources": {
        "fr": "Nos sources ne précisent pas {what} pour « {program} ». Un conseiller peut vous renseigner.",
        "en": "Our sources do not state {what} for “{program}”. An advisor can tell you.",
        "ar": "لا تذكر مصادرنا {what} بالنسبة إلى «{program}». يمكن لمستشار أن يفيدكم بذلك.",
        "ary": "Les sources dyalna ma kaydkrouch {what} dyal « {program} ». Conseiller y9der yjawbek.",
    },
    "field_line": {
        "fr": "{label} : {value}",
        "en": "{label}: {value}",
        "ar": "{label}: {value}",
        "ary": "{label}: {value}",
    },
    "field_type": {"fr": "Type", "en": "Type", "ar": "النوع", "ary": "Type"},
    "field_organizations": {"fr": "Porté par", "en": "Run by", "ar": "الجهات المشرفة", "ary": "Chkoun li kaydiro"},
    "field_duration": {"fr": "Durée", "en": "Duration", "ar": "المدة", "ary": "L'modda"},
    "field_capacity": {"fr": "Capacité", "en": "Capacity", "ar": "الطاقة الاستيعابية", "ary": "Ch7al mn blassa"},
    "field_location": {"fr": "Lieu", "en": "Location", "ar": "المكان", "ary": "L'blassa"},
    "field_benefits": {
        "fr": "Ce que vous y gagnez",
        "en": "What you get",
        "ar": "ما ستستفيدون منه",
        "ary": "Chno kay3tik",
    },
    "field_how_to_apply": {"fr": "Candidature", "en": "How to apply", "ar": "طريقة الترشح", "ary": "Kifach tpostuli"},
    "field_deadline": {"fr": "Date limite", "en": "Deadline", "ar": "آخر أجل", "ary": "Akhir ajal"},
    "field_status": {"fr": "Statut", "en": "Status", "ar": "الحالة", "ary": "L'7ala"},
    "field_focus": {
        "fr": "Domaines cités",
        "en": "Fields named",
        "ar": "المجالات المذكورة",
        "ary": "Les domaines li mdkourin",
    },
    "unknown_fields": {
        "fr": "Non précisé par nos sources : {fields}. Un conseiller peut vous renseigner.",
        "en": "Not stated by our sources: {fields}. An advisor can tell you.",
        "ar": "غير مذكور في مصادرنا: {fields}. يمكن لمستشار أن يفيدكم بذلك.",
        "ary": "Ma mdkourch f les sources dyalna: {fields}. Conseiller y9der yjawbek.",
    },
    "what_duration": {"fr": "la durée", "en": "the duration", "ar": "المدة", "ary": "l'modda"},
    "what_capacity": {
        "fr": "le nombre de places",
        "en": "the number of places",
        "ar": "عدد المقاعد",
        "ary": "ch7al mn blassa",
    },
    "what_location": {"fr": "le lieu", "en": "the location", "ar": "المكان", "ary": "l'blassa"},
    "what_benefits": {"fr": "les avantages", "en": "the benefits", "ar": "المزايا", "ary": "les avantages"},
    "what_how_to_apply": {
        "fr": "la procédure de candidature",
        "en": "how to apply",
        "ar": "طريقة الترشح",
        "ary": "kifach tpostuli",
    },
    "what_deadline": {"fr": "la date limite", "en": "the deadline", "ar": "آخر أجل", "ary": "akhir ajal"},
    "what_organizations": {"fr": "les partenaires", "en": "the partners", "ar": "الشركاء", "ary": "les partenaires"},
    "role_operator": {"fr": "opérateur", "en": "runs it", "ar": "المشغّل", "ary": "kaysayro"},
    "role_partner": {"fr": "partenaire", "en": "partner", "ar": "شريك", "ary": "partenaire"},
    "role_supporter": {"fr": "soutien", "en": "backs it", "ar": "داعم", "ary": "kayde3mo"},
    "financing_intro": {
        "fr": "Voici ce que le catalogue sait du financement ({count}) :",
        "en": "Here is what the catalog knows about financing ({count}):",
        "ar": "إليكم ما يتضمنه الدليل حول التمويل ({count}):",
        "ary": "Hadchi li kayn f l'catalogue 3la l'financement ({count}):",
    },
    "financing_stage_note": {
        "fr": "Aucune de ces offres ne précise le stade visé dans nos sources ({stage}) : un conseiller peut vous orienter.",
        "en": "None of these offers states a target stage in our sources ({stage}): an advisor can guide you.",
        "ar": "لا يحدد أي من هذه العروض المرحلة المستهدفة في مصادرنا ({stage}): يمكن لمستشار أن يوجهكم.",
        "ary": "Hta offre mn had les offres ma kaydker l'stade li kaystahdef f les sources dyalna ({stage}): conseiller y9der ywajjhek.",
    },
    "financing_none": {
        "fr": "Le catalogue ne contient pas encore d'offre de financement.",
        "en": "The catalog holds no financing offer yet.",
        "ar": "لا يتضمن الدليل أي عرض تمويل حتى الآن.",
        "ary": "Mazal ma kayna hta offre dyal financement f l'catalogue.",
    },
    "about_intro": {
        "fr": "Technopark Morocco accompagne et héberge des startups et entreprises innovantes.",
        "en": "Technopark Morocco supports and hosts innovative startups and companies.",
        "ar": "يواكب تكنوبارك المغرب الشركات الناشئة والمقاولات المبتكرة ويحتضنها.",
        "ary": "Technopark Morocco kaywakeb les startups w les entreprises innovantes w kay7tadnhom 3ndo.",
    },
    "figures_intro": {
        "fr": "Chiffres clés (avec leur date) :",
        "en": "Key figures (with their date):",
        "ar": "أرقام رئيسية (مع تاريخها):",
        "ary": "Ar9am mohimma (m3a tarikh dyalhom):",
    },
    "as_of": {"fr": "au {date}", "en": "as of {date}", "ar": "بتاريخ {date}", "ary": "f {date}"},
    "sites_intro": {
        "fr": "Sites Technopark cités par nos sources :",
        "en": "Technopark sites named in our sources:",
        "ar": "مواقع تكنوبارك المذكورة في مصادرنا:",
        "ary": "Les sites dyal Technopark li mdkourin f les sources dyalna:",
    },
    "sites_partial": {
        "fr": "La liste complète des sites et leurs adresses ne figurent pas dans nos sources : un conseiller peut vous les donner.",
        "en": "The full list of sites and their addresses is not in our sources: an advisor can give them to you.",
        "ar": "القائمة الكاملة للمواقع وعناوينها غير موجودة في مصادرنا: يمكن لمستشار أن يزودكم بها.",
        "ary": "La liste kamla dyal les sites w les adresses dyalhom ma kaynach f les sources dyalna: conseiller y9der y3tihalek.",
    },
    "events_intro": {
        "fr": "Événements dans le catalogue :",
        "en": "Events in the catalog:",
        "ar": "الفعاليات الموجودة في الدليل:",
        "ary": "Les événements li kaynin f l'catalogue:",
    },
    "events_none": {
        "fr": "Je n'ai pas d'événement à venir dans le catalogue.",
        "en": "I have no upcoming event in the catalog.",
        "ar": "ليست لدي أي فعالية قادمة في الدليل.",
        "ary": "Ma 3endi hta événement jay f l'catalogue.",
    },
    "events_future_unknown": {
        "fr": "Je n'ai pas de date d'événement à venir dans nos sources.",
        "en": "I have no upcoming event date in our sources.",
        "ar": "ليس لدي في مصادرنا أي تاريخ لفعالية قادمة.",
        "ary": "Ma 3endi hta date dyal chi événement jay f les sources dyalna.",
    },
    "contact_unknown": {
        "fr": "Je n'ai pas les coordonnées du Technopark (téléphone, e-mail, adresse) dans nos sources. Je peux transmettre votre demande à un conseiller qui vous recontactera.",
        "en": "I don't have Technopark's contact details (phone, e-mail, address) in our sources. I can pass your request to an advisor who will get back to you.",
        "ar": "لا تتوفر لدي في مصادرنا معلومات الاتصال الخاصة بتكنوبارك (الهاتف، البريد الإلكتروني، العنوان). يمكنني أن أحيل طلبكم إلى مستشار سيعاود الاتصال بكم.",
        "ary": "Ma 3endich les coordonnées dyal Technopark (téléphone, e-mail, adresse) f les sources dyalna. N9der nsifet la demande dyalek l chi conseiller w howa y3awed ytasel bik.",
    },
    "eligibility_intro": {
        "fr": "Votre profil : {profile}.",
        "en": "Your profile: {profile}.",
        "ar": "ملفكم: {profile}.",
        "ary": "L'profil dyalek: {profile}.",
    },
    "eligible": {
        "fr": "✅ {program} : éligible d'après nos critères.",
        "en": "✅ {program}: eligible by our criteria.",
        "ar": "✅ {program}: تستوفون الشروط حسب معاييرنا.",
        "ary": "✅ {program}: éligible 3la 7sab les critères dyalna.",
    },
    "not_eligible": {
        "fr": "❌ {program} : non éligible — {reasons}.",
        "en": "❌ {program}: not eligible — {reasons}.",
        "ar": "❌ {program}: لا تستوفون الشروط — {reasons}.",
        "ary": "❌ {program}: machi éligible — {reasons}.",
    },
    "unknown_missing": {
        "fr": "❔ {program} : je ne peux pas conclure, il me manque : {missing}.",
        "en": "❔ {program}: I can't tell, I'm missing: {missing}.",
        "ar": "❔ {program}: لا يمكنني الحسم، تنقصني المعلومات التالية: {missing}.",
        "ary": "❔ {program}: ma n9derch n7asem, khassni: {missing}.",
    },
    "unknown_no_criteria": {
        "fr": "❔ {program} : les critères d'éligibilité ne sont pas publiés dans nos sources.",
        "en": "❔ {program}: the eligibility criteria are not published in our sources.",
        "ar": "❔ {program}: شروط الأهلية غير منشورة في مصادرنا.",
        "ary": "❔ {program}: les critères d'éligibilité ma manchourinch f les sources dyalna.",
    },
    "eligibility_advisor": {
        "fr": "Pour une réponse définitive, un conseiller peut étudier votre dossier.",
        "en": "For a definite answer, an advisor can review your case.",
        "ar": "للحصول على جواب نهائي، يمكن لمستشار أن يدرس ملفكم.",
        "ary": "Ila bghiti jawab nihaei, conseiller y9der ychouf l'dossier dyalek.",
    },
    "reason": {
        "fr": "{rule} (source : « {quote} »)",
        "en": "{rule} (source: “{quote}”)",
        "ar": "{rule} (المصدر: «{quote}»)",
        "ary": "{rule} (source: « {quote} »)",
    },
    "rule_resident_true": {
        "fr": "réservé aux startups du Technopark",
        "en": "for Technopark startups only",
        "ar": "مخصص للشركات الناشئة في تكنوبارك فقط",
        "ary": "ghir l les startups dyal Technopark",
    },
    "rule_resident_false": {
        "fr": "conçu pour les startups non résidentes",
        "en": "designed for non-resident startups",
        "ar": "موجه للشركات الناشئة غير المقيمة",
        "ary": "m9ad l les startups li machi résidentes",
    },
    "rule_age_max": {
        "fr": "entreprise plus âgée que la limite du programme ({expected} ans)",
        "en": "company older than the program's limit ({expected} years)",
        "ar": "عمر الشركة يتجاوز الحد الأقصى للبرنامج ({expected} سنوات)",
        "ary": "3mer l'entreprise kaydouz l'limite dyal l'programme ({expected} snin)",
    },
    "rule_age_min": {
        "fr": "entreprise plus jeune que le minimum du programme ({expected} ans)",
        "en": "company younger than the program's minimum ({expected} years)",
        "ar": "عمر الشركة أقل من الحد الأدنى للبرنامج ({expected} سنوات)",
        "ary": "3mer l'entreprise 9ell mn l'minimum dyal l'programme ({expected} snin)",
    },
    "rule_value": {
        "fr": "{field} « {actual} » non retenu (attendu : {expected})",
        "en": "{field} “{actual}” not accepted (expected: {expected})",
        "ar": "{field} «{actual}» غير مقبول (المطلوب: {expected})",
        "ary": "{field} « {actual} » ma mqboulch (l'matloub: {expected})",
    },
    "profile_stage": {"fr": "stade", "en": "stage", "ar": "المرحلة", "ary": "stade"},
    "profile_sector": {"fr": "secteur", "en": "sector", "ar": "القطاع", "ary": "secteur"},
    "profile_city": {"fr": "ville", "en": "city", "ar": "المدينة", "ary": "mdina"},
    "profile_company_age_years": {
        "fr": "âge de l'entreprise",
        "en": "company age",
        "ar": "عمر الشركة",
        "ary": "3mer l'entreprise",
    },
    "profile_technopark_resident": {
        "fr": "résident d'un Technopark",
        "en": "Technopark resident",
        "ar": "الإقامة في تكنوبارك",
        "ary": "résident f Technopark",
    },
    "profile_legal_status": {
        "fr": "statut juridique",
        "en": "legal status",
        "ar": "الشكل القانوني",
        "ary": "statut juridique",
    },
    "years": {"fr": "{value} an(s)", "en": "{value} year(s)", "ar": "{value} سنة", "ary": "{value} snin"},
    "yes": {"fr": "oui", "en": "yes", "ar": "نعم", "ary": "ah"},
    "no": {"fr": "non", "en": "no", "ar": "لا", "ary": "la"},
    "unknown_answer": {"fr": "non précisé", "en": "not given", "ar": "غير محدد", "ary": "machi mhdded"},
    "invalid_answer": {
        "fr": "Je n'ai pas compris cette réponse.",
        "en": "I didn't understand that answer.",
        "ar": "لم أفهم هذا الجواب.",
        "ary": "Ma fhemtch had l'jawab.",
    },
    "advisor_saved": {
        "fr": "C'est noté, {name} ! Votre demande n°{id} est enregistrée. Un conseiller du Technopark vous contactera à {contact} sous {days} jours ouvrés.",
        "en": "Got it, {name}! Your request #{id} is recorded. A Technopark advisor will contact you at {contact} within {days} working days.",
        "ar": "حسنًا، {name}! تم تسجيل طلبكم رقم {id}. سيتواصل معكم أحد مستشاري تكنوبارك عبر {contact} خلال {days} من أيام العمل.",
        "ary": "Safi, {name}! La demande dyalek n°{id} tsjjlat. Chi conseiller dyal Technopark ghadi ytasel bik 3la {contact} f ujal {days} d iyam dyal l'khedma.",
    },
    "advisor_failed": {
        "fr": "Je n'ai pas pu enregistrer votre demande pour le moment. Réessayez dans quelques minutes, rien de ce que vous avez saisi n'est perdu.",
        "en": "I couldn't record your request right now. Please try again in a few minutes; nothing you typed is lost.",
        "ar": "تعذر علي تسجيل طلبكم في الوقت الحالي. يرجى المحاولة مجددًا بعد بضع دقائق، فلم يضِع شيء مما أدخلتموه.",
        "ary": "Ma 9dertch nsjjel la demande dyalek daba. 3awed jerreb mn ba3d chi d9ay9, walou mn dakchi li ktebti ma da3.",
    },
    "catalog_down": {
        "fr": "Le catalogue des programmes est momentanément indisponible. Réessayez dans un instant, ou demandez un conseiller.",
        "en": "The program catalog is unavailable for a moment. Try again shortly, or ask for an advisor.",
        "ar": "دليل البرامج غير متاح مؤقتًا. يرجى المحاولة بعد لحظات، أو طلب التحدث إلى مستشار.",
        "ary": "L'catalogue dyal les programmes ma mtwferch daba. 3awed jerreb mn daba chwiya, wla tlob conseiller.",
    },
}


def text(key: str, language: str, **values: Any) -> str:
    """The sentence ``key`` in ``language`` (French if missing), with ``values`` filled in."""
    variants = TEXTS[key]
    template = variants.get(language) or variants["fr"]
    return template.format(**values)
