"""The sentences actions build replies from, French first, then English.

Fixed replies (greetings, form questions) live in the domain's responses; these
are the pieces around catalog facts. Arabic falls back to French until the
Arabic texts are written.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    "details_button": {"fr": "Détails", "en": "Details"},
    "eligible_button": {"fr": "Suis-je éligible ?", "en": "Am I eligible?"},
    "advisor_button": {"fr": "Parler à un conseiller", "en": "Talk to an advisor"},
    "programs_intro": {
        "fr": "Voici les programmes du catalogue ({count}) :",
        "en": "Here are the programs in the catalog ({count}):",
    },
    "programs_filtered_intro": {
        "fr": "Programmes pour {filters} ({count}) :",
        "en": "Programs for {filters} ({count}):",
    },
    "programs_unstated_intro": {
        "fr": "Ces programmes ne précisent pas de {kinds} dans nos sources ; ils peuvent vous concerner :",
        "en": "These programs do not state a {kinds} in our sources; they may apply to you:",
    },
    "programs_none": {
        "fr": "Je ne trouve aucun programme pour {filters} dans le catalogue.",
        "en": "I find no program for {filters} in the catalog.",
    },
    "program_unknown": {
        "fr": "Je ne connais pas ce programme. Voici ceux que je connais :",
        "en": "I don't know that program. Here are the ones I know:",
    },
    "which_program": {
        "fr": "De quel programme parlez-vous ? Voici ceux que je connais :",
        "en": "Which program do you mean? Here are the ones I know:",
    },
    "source": {"fr": "Source : {source} — vérifié le {verified}", "en": "Source: {source} — checked on {verified}"},
    "source_untitled": {"fr": "article sans titre", "en": "untitled article"},
    "not_in_sources": {
        "fr": "Nos sources ne précisent pas {what} pour « {program} ». Un conseiller peut vous renseigner.",
        "en": "Our sources do not state {what} for “{program}”. An advisor can tell you.",
    },
    "field_line": {"fr": "{label} : {value}", "en": "{label}: {value}"},
    "field_type": {"fr": "Type", "en": "Type"},
    "field_organizations": {"fr": "Porté par", "en": "Run by"},
    "field_duration": {"fr": "Durée", "en": "Duration"},
    "field_capacity": {"fr": "Capacité", "en": "Capacity"},
    "field_location": {"fr": "Lieu", "en": "Location"},
    "field_benefits": {"fr": "Ce que vous y gagnez", "en": "What you get"},
    "field_how_to_apply": {"fr": "Candidature", "en": "How to apply"},
    "field_deadline": {"fr": "Date limite", "en": "Deadline"},
    "field_status": {"fr": "Statut", "en": "Status"},
    "field_focus": {"fr": "Domaines cités", "en": "Fields named"},
    "unknown_fields": {
        "fr": "Non précisé par nos sources : {fields}. Un conseiller peut vous renseigner.",
        "en": "Not stated by our sources: {fields}. An advisor can tell you.",
    },
    "what_duration": {"fr": "la durée", "en": "the duration"},
    "what_capacity": {"fr": "le nombre de places", "en": "the number of places"},
    "what_location": {"fr": "le lieu", "en": "the location"},
    "what_benefits": {"fr": "les avantages", "en": "the benefits"},
    "what_how_to_apply": {"fr": "la procédure de candidature", "en": "how to apply"},
    "what_deadline": {"fr": "la date limite", "en": "the deadline"},
    "what_organizations": {"fr": "les partenaires", "en": "the partners"},
    "role_operator": {"fr": "opérateur", "en": "runs it"},
    "role_partner": {"fr": "partenaire", "en": "partner"},
    "role_supporter": {"fr": "soutien", "en": "backs it"},
    "financing_intro": {
        "fr": "Voici ce que le catalogue sait du financement ({count}) :",
        "en": "Here is what the catalog knows about financing ({count}):",
    },
    "financing_stage_note": {
        "fr": "Aucune de ces offres ne précise le stade visé dans nos sources ({stage}) : un conseiller peut vous orienter.",
        "en": "None of these offers states a target stage in our sources ({stage}): an advisor can guide you.",
    },
    "financing_none": {
        "fr": "Le catalogue ne contient pas encore d'offre de financement.",
        "en": "The catalog holds no financing offer yet.",
    },
    "about_intro": {
        "fr": "Technopark Morocco accompagne et héberge des startups et entreprises innovantes.",
        "en": "Technopark Morocco supports and hosts innovative startups and companies.",
    },
    "figures_intro": {"fr": "Chiffres clés (avec leur date) :", "en": "Key figures (with their date):"},
    "as_of": {"fr": "au {date}", "en": "as of {date}"},
    "sites_intro": {"fr": "Sites Technopark cités par nos sources :", "en": "Technopark sites named in our sources:"},
    "sites_partial": {
        "fr": "La liste complète des sites et leurs adresses ne figurent pas dans nos sources : un conseiller peut vous les donner.",
        "en": "The full list of sites and their addresses is not in our sources: an advisor can give them to you.",
    },
    "events_intro": {"fr": "Événements dans le catalogue :", "en": "Events in the catalog:"},
    "events_none": {
        "fr": "Je n'ai pas d'événement à venir dans le catalogue.",
        "en": "I have no upcoming event in the catalog.",
    },
    "events_future_unknown": {
        "fr": "Je n'ai pas de date d'événement à venir dans nos sources.",
        "en": "I have no upcoming event date in our sources.",
    },
    "contact_unknown": {
        "fr": "Je n'ai pas les coordonnées du Technopark (téléphone, e-mail, adresse) dans nos sources. Je peux transmettre votre demande à un conseiller qui vous recontactera.",
        "en": "I don't have Technopark's contact details (phone, e-mail, address) in our sources. I can pass your request to an advisor who will get back to you.",
    },
    "eligibility_intro": {
        "fr": "Votre profil : {profile}.",
        "en": "Your profile: {profile}.",
    },
    "eligible": {
        "fr": "✅ {program} : éligible d'après nos critères.",
        "en": "✅ {program}: eligible by our criteria.",
    },
    "not_eligible": {"fr": "❌ {program} : non éligible — {reasons}.", "en": "❌ {program}: not eligible — {reasons}."},
    "unknown_missing": {
        "fr": "❔ {program} : je ne peux pas conclure, il me manque : {missing}.",
        "en": "❔ {program}: I can't tell, I'm missing: {missing}.",
    },
    "unknown_no_criteria": {
        "fr": "❔ {program} : les critères d'éligibilité ne sont pas publiés dans nos sources.",
        "en": "❔ {program}: the eligibility criteria are not published in our sources.",
    },
    "eligibility_advisor": {
        "fr": "Pour une réponse définitive, un conseiller peut étudier votre dossier.",
        "en": "For a definite answer, an advisor can review your case.",
    },
    "reason": {"fr": "{rule} (source : « {quote} »)", "en": "{rule} (source: “{quote}”)"},
    "rule_resident_true": {
        "fr": "réservé aux startups du Technopark",
        "en": "for Technopark startups only",
    },
    "rule_resident_false": {
        "fr": "conçu pour les startups non résidentes",
        "en": "designed for non-resident startups",
    },
    "rule_age_max": {
        "fr": "entreprise plus âgée que la limite du programme ({expected} ans)",
        "en": "company older than the program's limit ({expected} years)",
    },
    "rule_age_min": {
        "fr": "entreprise plus jeune que le minimum du programme ({expected} ans)",
        "en": "company younger than the program's minimum ({expected} years)",
    },
    "rule_value": {
        "fr": "{field} « {actual} » non retenu (attendu : {expected})",
        "en": "{field} “{actual}” not accepted (expected: {expected})",
    },
    "profile_stage": {"fr": "stade", "en": "stage"},
    "profile_sector": {"fr": "secteur", "en": "sector"},
    "profile_city": {"fr": "ville", "en": "city"},
    "profile_company_age_years": {"fr": "âge de l'entreprise", "en": "company age"},
    "profile_technopark_resident": {"fr": "résident d'un Technopark", "en": "Technopark resident"},
    "profile_legal_status": {"fr": "statut juridique", "en": "legal status"},
    "years": {"fr": "{value} an(s)", "en": "{value} year(s)"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "unknown_answer": {"fr": "non précisé", "en": "not given"},
    "invalid_answer": {
        "fr": "Je n'ai pas compris cette réponse.",
        "en": "I didn't understand that answer.",
    },
    "advisor_saved": {
        "fr": "C'est noté, {name} ! Votre demande n°{id} est enregistrée. Un conseiller du Technopark vous contactera à {contact} sous {days} jours ouvrés.",
        "en": "Got it, {name}! Your request #{id} is recorded. A Technopark advisor will contact you at {contact} within {days} working days.",
    },
    "advisor_failed": {
        "fr": "Je n'ai pas pu enregistrer votre demande pour le moment. Réessayez dans quelques minutes, rien de ce que vous avez saisi n'est perdu.",
        "en": "I couldn't record your request right now. Please try again in a few minutes; nothing you typed is lost.",
    },
    "catalog_down": {
        "fr": "Le catalogue des programmes est momentanément indisponible. Réessayez dans un instant, ou demandez un conseiller.",
        "en": "The program catalog is unavailable for a moment. Try again shortly, or ask for an advisor.",
    },
}


def text(key: str, language: str, **values: Any) -> str:
    """The sentence ``key`` in ``language`` (French if missing), with ``values`` filled in."""
    variants = TEXTS[key]
    template = variants.get(language) or variants["fr"]
    return template.format(**values)
