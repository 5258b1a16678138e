"""Every UI string, in Swedish (default) and English. Pages and the CLI look texts up here.

Keys are English snake_case; `t(key, lang, **values)` formats the text. A missing key
raises KeyError so that a typo fails a test instead of showing a blank label.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("sv", "en")
DEFAULT_LANGUAGE = "sv"

TEXTS: dict[str, dict[str, str]] = {
    # App frame
    "language_switch": {"sv": "Språk / Language", "en": "Språk / Language"},
    "demo_banner": {
        "sv": "Demodata: platserna och besöken är påhittade för att visa hur Uppsök fungerar.",
        "en": "Demo data: the places and visits are made up to show how Uppsök works.",
    },
    "db_in_use": {
        "sv": "Databasen används av en annan process. Försök igen om en stund.",
        "en": "The database is in use by another process. Try again in a moment.",
    },
    # Kinds of place
    "kind_sleeping_place": {"sv": "sovplats", "en": "sleeping place"},
    "kind_encampment": {"sv": "boplats", "en": "encampment"},
    "kind_other": {"sv": "annan", "en": "other"},
    # Shifts
    "shift_day": {"sv": "dag", "en": "day"},
    "shift_evening": {"sv": "kväll", "en": "evening"},
    "shift_weekend": {"sv": "helg", "en": "weekend"},
    # Pages
    "page_map": {"sv": "Karta", "en": "Map"},
    # First run and database (dashboard.py, ui.py)
    "demo_built": {
        "sv": "Ingen databas fanns, så en demodatabas skapades i {path}.",
        "en": "There was no database, so a demo database was made at {path}.",
    },
    "db_missing": {
        "sv": "Det finns ingen databas i {path} (OUTREACH_DB). Skapa en demo med "
              "`python -m geo demo --db {path}` eller importera besök med `python -m geo import FIL --db {path}`.",
        "en": "There is no database at {path} (OUTREACH_DB). Make a demo with "
              "`python -m geo demo --db {path}` or import visits with `python -m geo import FILE --db {path}`.",
    },
    "db_error": {"sv": "Databasen kunde inte öppnas: {error}", "en": "The database could not be opened: {error}"},
    "demo_building": {"sv": "Bygger demodatabasen …", "en": "Building the demo database …"},
    # Import page (app_pages/importera.py, geo/imports.py)
    "page_import": {"sv": "Importera", "en": "Import"},
    "imp_heading": {"sv": "Importera besök från en fil", "en": "Import visits from a file"},
    "imp_intro": {
        "sv": "Ladda upp en besöksfil (CSV, TSV, TXT, XLSX, GeoJSON eller ODK Centrals .csv.zip). Du ser först vad varje rad blir; "
              "inget sparas förrän du trycker på Importera. Personnummer, telefonnummer och e-post tas bort.",
        "en": "Upload a visits file (CSV, TSV, TXT, XLSX, GeoJSON or ODK Central's .csv.zip). You first see what each row becomes; "
              "nothing is stored until you press Import. Personal identity numbers, phone numbers and e-mail are removed.",
    },
    "imp_upload": {"sv": "Besöksfil", "en": "Visits file"},
    "imp_mapping": {"sv": "Kolumner: {found} av {total} kända kolumner hittade", "en": "Columns: {found} of {total} known columns found"},
    "imp_mapping_help": {
        "sv": "Så här läses filens kolumner. Ändra om något blev fel; förhandsvisningen räknas om. "
              "— betyder att filen inte har kolumnen.",
        "en": "This is how the file's columns are read. Change what is wrong; the preview is recomputed. "
              "— means the file does not have the column.",
    },
    "imp_form_detected": {
        "sv": "Formuläret {form} känns igen: rubriker och svar matchas efter dess namn och etiketter på alla språk.",
        "en": "The form {form} is recognised: headers and answers are matched by its names and labels in every language.",
    },
    "imp_form_upload": {
        "sv": "Formulärdefinition (XLSForm .xlsx eller XForm .xml)",
        "en": "Form definition (XLSForm .xlsx or XForm .xml)",
    },
    "imp_form_help": {
        "sv": "Ladda upp formuläret som skrev filen en gång: då läses rubriker och svar efter formulärets etiketter på alla språk.",
        "en": "Upload the form that wrote the file once: headers and answers are then read by the form's labels in every language.",
    },
    "imp_is_a_form": {
        "sv": "{file} är en formulärdefinition, ingen besöksfil: ladda upp den under "
              "”Formulärdefinition (XLSForm .xlsx eller XForm .xml)” och besöksfilen här.",
        "en": "{file} is a form definition, not a visits file: upload it under "
              "“Form definition (XLSForm .xlsx or XForm .xml)” and the visits file here.",
    },
    "imp_form_save": {"sv": "Spara formulär med profilen", "en": "Save form with the profile"},
    "imp_form_missing": {
        "sv": "Välj först en formulärdefinition att ladda upp.",
        "en": "Choose a form definition to upload first.",
    },
    "imp_form_saved": {
        "sv": "Formuläret sparades med profilen {name} och används för filer som det skrev.",
        "en": "The form was saved with the profile {name} and is used for files it wrote.",
    },
    "imp_skipped_tables": {
        "sv": "Upprepningstabeller hoppades över (bara huvudtabellen importeras): {tables}.",
        "en": "Repeat tables were skipped (only the main table is imported): {tables}.",
    },
    "imp_profile_detected": {
        "sv": "Filen kommer från en fältapp; kolumnerna är förvalda efter profilen {profile}.",
        "en": "The file comes from a field app; the columns are preset from the profile {profile}.",
    },
    "imp_profile_select": {"sv": "Kolumnprofil", "en": "Column profile"},
    "imp_profile_help": {
        "sv": "En profil förväljer kolumnerna: de inbyggda för exporter från ODK Central och KoboToolbox, "
              "eller en som har sparats här.",
        "en": "A profile presets the columns: the built-in ones for ODK Central and KoboToolbox exports, "
              "or one saved here.",
    },
    "imp_profile_auto": {"sv": "Automatisk (efter rubrikerna)", "en": "Automatic (from the headers)"},
    "imp_profile_builtin": {"sv": "{name} (inbyggd)", "en": "{name} (built in)"},
    "imp_profile_name": {"sv": "Spara kolumnerna som profil med namnet", "en": "Save the columns as a profile named"},
    "imp_profile_save": {"sv": "Spara profil", "en": "Save profile"},
    "imp_profile_saved": {
        "sv": "Profilen {name} är sparad. Den finns här i listan och på kommandoraden: "
              "`python -m geo import FIL --profile {cli}`.",
        "en": "The profile {name} is saved. It is in the list here and on the command line: "
              "`python -m geo import FILE --profile {cli}`.",
    },
    "imp_upload_gone": {
        "sv": "Den uppladdade filen finns inte längre (den sparas en timme). Välj filen igen.",
        "en": "The uploaded file is no longer there (it is kept for an hour). Choose the file again.",
    },
    "canon_visit_id": {"sv": "Besöks-id", "en": "Visit id"},
    "canon_version_id": {"sv": "Versions-id", "en": "Version id"},
    "canon_visited_at": {"sv": "Datum och tid", "en": "Date and time"},
    "canon_date": {"sv": "Datum (egen kolumn)", "en": "Date (own column)"},
    "canon_time": {"sv": "Tid (egen kolumn)", "en": "Time (own column)"},
    "canon_lat": {"sv": "Latitud", "en": "Latitude"},
    "canon_lon": {"sv": "Longitud", "en": "Longitude"},
    "canon_northing": {"sv": "Nord (SWEREF 99 TM)", "en": "Northing (SWEREF 99 TM)"},
    "canon_easting": {"sv": "Öst (SWEREF 99 TM)", "en": "Easting (SWEREF 99 TM)"},
    "canon_place_id": {"sv": "Plats-id", "en": "Place id"},
    "canon_place_name": {"sv": "Platsnamn", "en": "Place name"},
    "canon_place_type": {"sv": "Platstyp", "en": "Kind of place"},
    "canon_people": {"sv": "Antal personer", "en": "People"},
    "canon_children": {"sv": "Antal barn", "en": "Children"},
    "canon_acute": {"sv": "Akut", "en": "Acute"},
    "canon_referred_to": {"sv": "Hänvisad till", "en": "Referred to"},
    "canon_team": {"sv": "Lag", "en": "Team"},
    "canon_notes": {"sv": "Anteckning", "en": "Notes"},
    "imp_unknown_columns": {
        "sv": "Okända kolumner, sparas inte: {columns}.", "en": "Unknown columns, not stored: {columns}.",
    },
    "imp_dropped_columns": {
        "sv": "Kolumner om nationalitet eller medborgarskap sparas aldrig och tas bort: {columns}.",
        "en": "Columns about nationality or citizenship are never stored and are dropped: {columns}.",
    },
    "imp_preview_heading": {"sv": "Förhandsvisning: så blir raderna", "en": "Preview: what the rows become"},
    "imp_rows": {"sv": "Rader", "en": "Rows"},
    "imp_to_import": {"sv": "Importeras", "en": "To import"},
    "imp_updated": {"sv": "Uppdateras", "en": "To update"},
    "imp_duplicates": {"sv": "Dubbletter", "en": "Duplicates"},
    "imp_rejected": {"sv": "Avvisade", "en": "Rejected"},
    "imp_preview_caption": {
        "sv": "Visar de första {shown} av {total} raderna. Inget är sparat ännu.",
        "en": "Showing the first {shown} of {total} rows. Nothing is stored yet.",
    },
    "imp_button": {"sv": "Importera", "en": "Import"},
    "imp_done": {
        "sv": "Import {import_id} av {file} klar: {rows} rader = {imported} importerade + {updated} uppdaterade "
              "+ {duplicates} dubbletter + {rejected} avvisade.",
        "en": "Import {import_id} of {file} done: {rows} rows = {imported} imported + {updated} updated "
              "+ {duplicates} duplicates + {rejected} rejected.",
    },
    "imp_source": {"sv": "Profil: {profile} · formulär: {form}.", "en": "Profile: {profile} · form: {form}."},
    "imp_source_none": {"sv": "ingen", "en": "none"},
    "imp_new_places": {"sv": "Nya platser: {count}.", "en": "New places: {count}."},
    "imp_removed": {
        "sv": "Borttagna identifierare: {total} (personnummer {personal_ids}, telefon {phones}, e-post {emails}).",
        "en": "Removed identifiers: {total} (personal identity numbers {personal_ids}, phone {phones}, e-mail {emails}).",
    },
    "imp_swapped": {
        "sv": "Varning: lat och lon var omkastade på {count} rader och har rättats.",
        "en": "Warning: lat and lon were swapped on {count} rows and were corrected.",
    },
    "imp_sweref": {
        "sv": "SWEREF 99 TM räknades om till WGS84 på {count} rader.",
        "en": "SWEREF 99 TM was converted to WGS84 on {count} rows.",
    },
    "imp_date_only": {
        "sv": "Varning: {count} rader saknade klockslag och räknades som 12:00.",
        "en": "Warning: {count} rows had no time and were counted as 12:00.",
    },
    "imp_mixed_encoding": {
        "sv": "Varning: filen blandade teckenkodningar; {count} rader lästes som Windows-1252.",
        "en": "Warning: the file mixed encodings; {count} rows were read as Windows-1252.",
    },
    "imp_failed": {
        "sv": "Importen misslyckades och inget sparades; försök igen om en stund.",
        "en": "The import failed and nothing was stored; try again in a moment.",
    },
    "imp_waiting": {
        "sv": "En annan import till samma databas pågår; din import startar när den är klar.",
        "en": "Another import into the same database is running; yours starts when it is done.",
    },
    "imp_rejected_heading": {"sv": "Avvisade rader", "en": "Rejected rows"},
    "imp_rejected_none": {"sv": "Inga rader avvisades.", "en": "No rows were rejected."},
    "imp_rejected_help": {
        "sv": "Rätta raderna i filen (eller i den nedladdade CSV-filen) och importera igen; redan importerade rader blir dubbletter.",
        "en": "Fix the rows in the file (or in the downloaded CSV) and import again; rows already imported become duplicates.",
    },
    "imp_download": {"sv": "Ladda ner avvisade rader (CSV)", "en": "Download the rejected rows (CSV)"},
    "imp_col_row": {"sv": "Rad", "en": "Row"},
    "imp_col_column": {"sv": "Kolumn", "en": "Column"},
    "imp_col_reason": {"sv": "Skäl", "en": "Reason"},
    "imp_col_outcome": {"sv": "Blir", "en": "Becomes"},
    "imp_col_visited": {"sv": "Besökt", "en": "Visited"},
    "imp_col_people_visit": {"sv": "Personer", "en": "People"},
    "outcome_imported": {"sv": "importeras", "en": "imported"},
    "outcome_updated": {"sv": "uppdateras", "en": "updated"},
    "outcome_duplicate": {"sv": "dubblett", "en": "duplicate"},
    "outcome_rejected": {"sv": "avvisas", "en": "rejected"},
    "hist_heading": {"sv": "Importhistorik", "en": "Import history"},
    "hist_empty": {"sv": "Inga importer ännu.", "en": "No imports yet."},
    "hist_import_id": {"sv": "Import-id", "en": "Import id"},
    "hist_file": {"sv": "Fil", "en": "File"},
    "hist_when": {"sv": "När", "en": "When"},
    "hist_actor": {"sv": "Av", "en": "By"},
    "hist_rows": {"sv": "Rader", "en": "Rows"},
    "hist_imported": {"sv": "Importerade", "en": "Imported"},
    "hist_updated": {"sv": "Uppdaterade", "en": "Updated"},
    "hist_duplicates": {"sv": "Dubbletter", "en": "Duplicates"},
    "hist_rejected": {"sv": "Avvisade", "en": "Rejected"},
    "hist_undone": {"sv": "Ångrad", "en": "Undone"},
    "hist_undone_by": {"sv": "Ångrad av", "en": "Undone by"},
    "undo_heading": {"sv": "Ångra en import", "en": "Undo an import"},
    "undo_select": {"sv": "Import att ångra", "en": "Import to undo"},
    "undo_confirm": {
        "sv": "Jag förstår att importens besök tas bort, och de platser den skapade som inget annat besök använder.",
        "en": "I understand that the import's visits are removed, and the places it created that no other visit uses.",
    },
    "undo_button": {"sv": "Ångra importen", "en": "Undo the import"},
    "undo_none": {"sv": "Det finns ingen import att ångra.", "en": "There is no import to undo."},
    "undo_done": {
        "sv": "Import {import_id} är ångrad: {visits} besök och {places} platser togs bort.",
        "en": "Import {import_id} is undone: {visits} visits and {places} places were removed.",
    },
    "undo_restored": {
        "sv": "{restored} besök som importen uppdaterade fick tillbaka sin tidigare version.",
        "en": "{restored} visits the import updated got their previous version back.",
    },
    "undo_kept": {
        "sv": "{kept} platser som importen skapade finns kvar eftersom andra besök använder dem.",
        "en": "{kept} places the import created are kept because other visits use them.",
    },
    "undo_option": {
        "sv": "{file} · {when} · {actor} · {visits} besök av {rows} rader · {import_id}",
        "en": "{file} · {when} · {actor} · {visits} visits of {rows} rows · {import_id}",
    },
    "undo_placeholder": {"sv": "Välj en import …", "en": "Choose an import …"},
    "undo_will_remove": {
        "sv": "Tas bort: {visits} besök från filen {file}, importerad {when} av {actor} (import {import_id}), "
              "och de av dess {places} nya platser som inget annat besök använder.",
        "en": "Removed: {visits} visits from the file {file}, imported {when} by {actor} (import {import_id}), "
              "and those of its {places} new places that no other visit uses.",
    },
    "undo_will_restore": {
        "sv": "{restored} uppdaterade besök får tillbaka sin tidigare version.",
        "en": "{restored} updated visits get their previous version back.",
    },
    "undo_depends": {"sv": "Senare ändringar bygger på den här importen:",
                     "en": "Later changes rest on this import:"},
    "undo_dep_updated": {
        "sv": "import {ref} ({name}) uppdaterade sedan {count} av dess besök (redigerade inskickningar); "
              "ångra den först, annars kan den här importen inte ångras.",
        "en": "import {ref} ({name}) later updated {count} of its visits (edited submissions); undo that one "
              "first, or this import cannot be undone.",
    },
    "undo_dep_visits_at_places": {
        "sv": "import {ref} ({name}) har {count} besök vid platser som den här importen skapade; de platserna behålls.",
        "en": "import {ref} ({name}) has {count} visits at places this import created; those places are kept.",
    },
    "undo_dep_merge": {
        "sv": "sammanslagningen {name} ({ref}, {count} besök) rör importens platser eller besök; ångra den först "
              "på sidan Platser om den ska gå att ångra exakt.",
        "en": "the merge {name} ({ref}, {count} visits) touches the import's places or visits; undo it first "
              "on the Places page if it is to be undone exactly.",
    },
    "undo_gone": {"sv": "Den valda importen går inte längre att ångra; välj igen.",
                  "en": "The chosen import can no longer be undone; choose again."},
    "imp_place_matches": {"sv": "Namnvarianter som fördes till en plats i närheten av samma typ:",
                          "en": "Name variants joined to a nearby place of the same kind:"},
    "imp_time_fallback": {
        "sv": "Besökstiden läses från kolumnen '{column}' (när formuläret öppnades eller skickades, inte besöket). "
              "Har formuläret en egen tidsfråga: välj den under Kolumner, eller spara formulärdefinitionen med en profil.",
        "en": "The visit time is read from the column '{column}' (when the form was opened or sent, not the visit). "
              "If the form has its own time question: choose it under Columns, or save the form definition with a profile.",
    },
    "imp_place_matches_preview": {"sv": "Namnvarianter som förs till en plats i närheten av samma typ när du importerar:",
                                  "en": "Name variants that will join a nearby place of the same kind when you import:"},
    "imp_place_match": {"sv": "{name} → {place}, {distance} m", "en": "{name} → {place}, {distance} m"},
    # Map page (app_pages/karta.py)
    "map_heading": {"sv": "Platser efter dagar sedan senaste besök", "en": "Places by days since last visit"},
    "metric_places": {"sv": "Platser", "en": "Places"},
    "metric_places_help": {
        "sv": "Aktiva platser (ej rivna) i hela databasen, oavsett filter.",
        "en": "Active places (not cleared) in the whole database, whatever the filters.",
    },
    "metric_overdue": {"sv": "Försenade platser", "en": "Overdue places"},
    "metric_overdue_help": {
        "sv": "Platser som inte besökts inom målintervallet (boplats {encampment} dagar, sovplats {sleeping_place} dagar) eller aldrig besökts.",
        "en": "Places not visited within their target interval (encampment {encampment} days, sleeping place {sleeping_place} days) or never visited.",
    },
    "metric_people": {"sv": "Personer vid senaste besök", "en": "People at the last visits"},
    "metric_people_help": {
        "sv": "Summan av antalet personer som sågs vid varje plats senaste besök.",
        "en": "The sum of the people seen at each place's last visit.",
    },
    "filter_kind": {"sv": "Typ av plats", "en": "Kind of place"},
    "filter_days": {"sv": "Ej besökta på minst så många dagar", "en": "Not visited for at least this many days"},
    "filter_days_help": {
        "sv": "0 visar alla platser. Platser som aldrig besökts visas alltid.",
        "en": "0 shows every place. Places never visited are always shown.",
    },
    "shown_count": {"sv": "Visar {shown} av {total} platser.", "en": "Showing {shown} of {total} places."},
    "no_places": {"sv": "Inga platser matchar filtren.", "en": "No places match the filters."},
    "table_heading": {"sv": "Mest försenade platser", "en": "Most overdue places"},
    "table_empty": {"sv": "Inga försenade platser bland de visade.", "en": "No overdue places among those shown."},
    "col_name": {"sv": "Plats", "en": "Place"},
    "col_kind": {"sv": "Typ", "en": "Kind"},
    "col_last_visit": {"sv": "Senaste besök", "en": "Last visit"},
    "col_days_since": {"sv": "Dagar sedan", "en": "Days since"},
    "col_target_days": {"sv": "Mål (dagar)", "en": "Target (days)"},
    "col_people": {"sv": "Personer senast", "en": "People last seen"},
    "never": {"sv": "aldrig", "en": "never"},
    # Map legend (geo/maps.py)
    "legend_days": {"sv": "Dagar sedan senaste besök", "en": "Days since last visit"},
    "legend_bin": {"sv": "{low}–{high} dagar", "en": "{low}–{high} days"},
    "legend_bin_over": {"sv": "mer än {low} dagar", "en": "more than {low} days"},
    "legend_never": {"sv": "aldrig besökt", "en": "never visited"},
    "legend_kind": {"sv": "Typ av plats (kant)", "en": "Kind of place (outline)"},
    "legend_kind_sleeping_place": {"sv": "sovplats: tunn kant", "en": "sleeping place: thin outline"},
    "legend_kind_encampment": {"sv": "boplats: tjock kant", "en": "encampment: thick outline"},
    "legend_kind_other": {"sv": "annan: streckad kant", "en": "other: dashed outline"},
    "legend_size": {"sv": "Storlek: personer vid senaste besök", "en": "Size: people at the last visit"},
    "legend_size_value": {"sv": "{people} personer", "en": "{people} people"},
    "legend_outline": {"sv": "Grå linje: Stockholms kommun", "en": "Grey line: Stockholm municipality"},
    # Area layers and coverage (geo/area_maps.py, app_pages/karta.py, app_pages/planera.py; issue 4)
    "area_layer": {"sv": "Områden på kartan", "en": "Areas on the map"},
    "area_layer_help": {
        "sv": "Färgade efter dagar sedan senaste besök i området (även svep utan fynd). Importera distrikt med "
              "`python -m geo areas import FIL --layer NAMN`.",
        "en": "Coloured by days since the last visit in the area (sweeps that found nobody included). Import "
              "districts with `python -m geo areas import FILE --layer NAME`.",
    },
    "area_none": {"sv": "inga", "en": "none"},
    "area_grid": {"sv": "H3-rutnät", "en": "H3 grid"},
    "legend_areas": {"sv": "Områden: dagar sedan besök", "en": "Areas: days since a visit"},
    "col_places_in_area": {"sv": "Kända platser", "en": "Known places"},
    "page_plan": {"sv": "Planera", "en": "Plan"},
    "plan_heading": {"sv": "Försenade platser efter angelägenhet", "en": "Overdue places by urgency"},
    "plan_caption": {
        "sv": "Poäng = dagar sedan besök / mål (högst 5; aldrig besökt = 3) + 0,1 per person senast (högst 1) "
              "+ 0,5 för boplats + 1 vid akut fall senaste 90 dagarna. Aldrig besökta platser först.",
        "en": "Score = days since a visit / target (at most 5; never visited = 3) + 0.1 per person last seen "
              "(at most 1) + 0.5 for an encampment + 1 for an acute case in the last 90 days. Never-visited places first.",
    },
    "plan_district_layer": {"sv": "Distriktslager", "en": "District layer"},
    "plan_district": {"sv": "Distrikt", "en": "District"},
    "plan_no_layers": {
        "sv": "Inga distrikt importerade; importera med `python -m geo areas import FIL --layer NAMN`.",
        "en": "No districts imported; import them with `python -m geo areas import FILE --layer NAME`.",
    },
    "col_urgency": {"sv": "Poäng", "en": "Score"},
    "col_reason": {"sv": "Varför", "en": "Why"},
    "col_district": {"sv": "Distrikt", "en": "District"},
    "plan_download": {"sv": "Ladda ner CSV", "en": "Download CSV"},
    "plan_empty": {"sv": "Inga försenade platser matchar filtren.", "en": "No overdue places match the filters."},
    # Area details under the map (app_pages/karta.py, geo/area_maps.py; issue 4)
    "area_details": {"sv": "Område i detalj", "en": "Area details"},
    "area_pick": {"sv": "Område (minst nyligen besökta först)", "en": "Area (least recently visited first)"},
    "area_option_days": {"sv": "{name} · {days} dagar sedan besök", "en": "{name} · {days} days since a visit"},
    "area_option_never": {"sv": "{name} · aldrig besökt", "en": "{name} · never visited"},
    "area_overdue_caption": {
        "sv": "{overdue} av {total} områden är försenade: aldrig besökta eller inte på mer än {days} dagar.",
        "en": "{overdue} of {total} areas are overdue: never visited, or not for more than {days} days.",
    },
    "area_places_heading": {"sv": "Platser i området", "en": "Places in the area"},
    "area_visits_heading": {"sv": "Senaste {count} besöken", "en": "Latest {count} visits"},
    "area_no_places": {"sv": "Inga kända platser i området.", "en": "No known places in the area."},
    "area_no_visits": {"sv": "Inga besök i området ännu.", "en": "No visits in the area yet."},
    "col_date": {"sv": "Datum", "en": "Date"},
    "col_shift": {"sv": "Pass", "en": "Shift"},
    "col_people_seen": {"sv": "Personer", "en": "People"},
    # Settings (app_pages/installningar.py, geo/settings.py; issue 4)
    "page_settings": {"sv": "Inställningar", "en": "Settings"},
    "settings_heading": {"sv": "Inställningar", "en": "Settings"},
    "settings_intro": {
        "sv": "Gäller för alla som använder databasen, även kommandoraden. Varje ändring loggas.",
        "en": "They apply to everyone using the database, the command line too. Every change is logged.",
    },
    "set_target_days.sleeping_place": {"sv": "Mål för sovplats (dagar mellan besök)",
                                       "en": "Target for a sleeping place (days between visits)"},
    "set_target_days.encampment": {"sv": "Mål för boplats (dagar mellan besök)",
                                   "en": "Target for an encampment (days between visits)"},
    "set_target_days.other": {"sv": "Mål för annan plats (dagar mellan besök)",
                              "en": "Target for another place (days between visits)"},
    "set_area_overdue_days": {"sv": "Område försenat efter (dagar utan besök)",
                              "en": "Area overdue after (days without a visit)"},
    "set_match_radius_m": {"sv": "Matchningsradie vid import (meter)", "en": "Matching radius at import (metres)"},
    "set_match_radius_m_help": {
        "sv": "Ett besök med koordinater men utan plats kopplas till närmaste kända plats inom radien, "
              "annars skapas en ny plats.",
        "en": "A visit with coordinates and no place joins the nearest known place within the radius; "
              "otherwise a new place is made.",
    },
    "settings_default": {"sv": "Standard: {value}", "en": "Default: {value}"},
    "set_service_area_layer": {"sv": "Serviceområde", "en": "Service area"},
    "set_service_area_default": {"sv": "Standard: Stockholms stad + 1 km", "en": "Default: City of Stockholm + 1 km"},
    "set_service_area_layer_help": {
        "sv": "Besök utanför serviceområdet avvisas vid import. Ett importerat lager (sidan Områden) "
              "gäller med 100 m marginal.",
        "en": "Visits outside the service area are rejected at import. An imported layer (the Areas page) "
              "applies with a 100 m margin.",
    },
    "settings_save": {"sv": "Spara", "en": "Save"},
    "settings_reset": {"sv": "Återställ standardvärden", "en": "Reset to defaults"},
    "settings_saved": {"sv": "Sparat: {count} ändrade värden.", "en": "Saved: {count} changed values."},
    "settings_unchanged": {"sv": "Inget ändrades.", "en": "Nothing changed."},
    "settings_reset_done": {"sv": "Standardvärdena är återställda ({count} ändrade värden).",
                            "en": "The defaults are back ({count} changed values)."},
    # Boundary layers on a page (app_pages/omraden.py, geo/boundaries.py; issue 4)
    "page_areas": {"sv": "Områden", "en": "Areas"},
    "areas_heading": {"sv": "Områdeslager", "en": "Area layers"},
    "areas_intro": {
        "sv": "Importera gränser (stadsdelar, stadsdelsområden, basområden) som GeoJSON, GeoPackage, "
              "zippad Shapefile eller GeoParquet i valfritt koordinatsystem. Samma namn ersätter lagret.",
        "en": "Import boundaries (districts, neighbourhoods, statistical areas) as GeoJSON, GeoPackage, "
              "zipped Shapefile or GeoParquet in any coordinate system. The same name replaces the layer.",
    },
    "areas_upload": {"sv": "Gränsfil", "en": "Boundary file"},
    "areas_layer_name": {"sv": "Lagrets namn", "en": "Layer name"},
    "areas_name_field": {"sv": "Fält med områdets namn", "en": "Field holding the area's name"},
    "areas_name_field_help": {"sv": "Förvalt: fältet som hittades automatiskt.",
                              "en": "Preselected: the field found automatically."},
    "areas_no_name_field": {"sv": "(inget – numrera områdena)", "en": "(none – number the areas)"},
    "areas_replaces": {"sv": "Lagret {layer} finns redan ({count} områden) och ersätts.",
                       "en": "The layer {layer} exists ({count} areas) and will be replaced."},
    "areas_import": {"sv": "Importera lager", "en": "Import layer"},
    "areas_imported": {
        "sv": "Lagret {layer}: {areas} områden importerade från {file} ({crs}), {repaired} reparerade, "
              "{rejected} avvisade.",
        "en": "Layer {layer}: {areas} areas imported from {file} ({crs}), {repaired} repaired, {rejected} rejected.",
    },
    "areas_rejected_heading": {"sv": "Avvisade geometrier", "en": "Rejected geometries"},
    "areas_upload_gone": {"sv": "Filen finns inte längre; ladda upp den igen.",
                          "en": "The file is gone; upload it again."},
    "areas_list_heading": {"sv": "Importerade lager", "en": "Imported layers"},
    "areas_none": {"sv": "Inga importerade lager än (H3-rutnätet är inbyggt).",
                   "en": "No imported layers yet (the H3 grid is built in)."},
    "areas_delete_pick": {"sv": "Lager att ta bort", "en": "Layer to delete"},
    "areas_delete": {"sv": "Ta bort lagret", "en": "Delete the layer"},
    "areas_deleted": {"sv": "Lagret {layer} ({count} områden) är borttaget.",
                      "en": "The layer {layer} ({count} areas) is deleted."},
    "areas_col_feature": {"sv": "Objekt", "en": "Feature"},
    "areas_col_name": {"sv": "Namn", "en": "Name"},
    "areas_col_reason": {"sv": "Orsak", "en": "Reason"},
    "areas_col_layer": {"sv": "Lager", "en": "Layer"},
    "areas_col_areas": {"sv": "Områden", "en": "Areas"},
    "areas_col_name_field": {"sv": "Namnfält", "en": "Name field"},
    "areas_col_file": {"sv": "Fil", "en": "File"},
    "areas_col_crs": {"sv": "Koordinatsystem", "en": "Coordinate system"},
    "areas_col_imported": {"sv": "Importerat", "en": "Imported"},
    # Log a visit (app_pages/logga.py, geo/visit_form.py)
    "page_log": {"sv": "Logga besök", "en": "Log a visit"},
    "log_heading": {"sv": "Logga ett besök", "en": "Log a visit"},
    "log_intro": {
        "sv": "Samma regler som vid import av en fil. Skriv aldrig namn, personnummer eller telefonnummer.",
        "en": "The same rules as a file import. Never write names, personal identity numbers or phone numbers.",
    },
    "log_where": {"sv": "Var", "en": "Where"},
    "log_mode_list": {"sv": "Känd plats", "en": "Known place"},
    "log_mode_coords": {"sv": "Koordinater", "en": "Coordinates"},
    "log_mode_map": {"sv": "Karta", "en": "Map"},
    "log_place": {"sv": "Plats (skriv för att söka)", "en": "Place (type to search)"},
    "log_place_placeholder": {"sv": "Välj en plats", "en": "Choose a place"},
    "log_no_places": {
        "sv": "Inga kända platser ännu: ange koordinater eller välj på kartan.",
        "en": "No known places yet: give coordinates or pick on the map.",
    },
    "log_lat": {"sv": "Latitud", "en": "Latitude"},
    "log_lon": {"sv": "Longitud", "en": "Longitude"},
    "log_coords_help": {
        "sv": "WGS84 i grader (59,3309 eller 59.3309) eller SWEREF 99 TM (nord, öst).",
        "en": "WGS84 degrees (59.3309 or 59,3309) or SWEREF 99 TM (northing, easting).",
    },
    "log_map_hint": {"sv": "Tryck på kartan där besöket var.", "en": "Tap the map where the visit was."},
    "log_picked": {"sv": "Vald punkt: {lat:.5f}, {lon:.5f}", "en": "Picked point: {lat:.5f}, {lon:.5f}"},
    "log_not_picked": {"sv": "Ingen punkt vald ännu.", "en": "No point picked yet."},
    "log_new_name": {"sv": "Namn på ny plats (frivilligt)", "en": "Name of a new place (optional)"},
    "log_new_name_help": {
        "sv": "Utan namn kopplas besöket till närmaste kända plats av samma typ inom {radius} m, annars skapas en ny.",
        "en": "Without a name the visit joins the nearest known place of its kind within {radius} m, else a new one is made.",
    },
    "log_kind": {"sv": "Typ av plats", "en": "Kind of place"},
    "log_date": {"sv": "Datum", "en": "Date"},
    "log_time": {"sv": "Tid", "en": "Time"},
    "log_people": {"sv": "Antal personer", "en": "People"},
    "log_people_help": {
        "sv": "Personer som träffades eller sågs; 0 = ingen hittades. Tomt = okänt.",
        "en": "People met or seen; 0 = nobody found. Empty = unknown.",
    },
    "log_children": {"sv": "Varav barn", "en": "Of whom children"},
    "log_acute": {"sv": "Akut behov", "en": "Acute need"},
    "log_referred": {"sv": "Hänvisad till", "en": "Referred to"},
    "log_referred_none": {"sv": "ingen", "en": "none"},
    "referral_socialjouren": {"sv": "Socialjouren", "en": "Socialjouren"},
    "referral_polis": {"sv": "polis", "en": "police"},
    "referral_vården": {"sv": "vården", "en": "healthcare"},
    "referral_annan": {"sv": "annan", "en": "other"},
    "log_team": {"sv": "Lag (kod, aldrig ett namn)", "en": "Team (a code, never a name)"},
    "log_notes": {"sv": "Anteckning", "en": "Notes"},
    "log_submit": {"sv": "Spara besöket", "en": "Save the visit"},
    "log_saved": {"sv": "Besöket vid {place} är sparat ({shift}, {when}).", "en": "The visit at {place} is saved ({shift}, {when})."},
    "log_saved_new_place": {"sv": "En ny plats skapades: {place}.", "en": "A new place was made: {place}."},
    "log_duplicate": {
        "sv": "Besöket vid {place} fanns redan; inget nytt sparades.",
        "en": "The visit at {place} was already stored; nothing new was saved.",
    },
    "log_rejected": {"sv": "Besöket sparades inte: {reason}.", "en": "The visit was not saved: {reason}."},
    "log_removed": {
        "sv": "{count} identifierande uppgifter (personnummer, telefon, e-post) togs bort ur texten.",
        "en": "{count} identifying details (personal identity number, phone, e-mail) were removed from the text.",
    },
    "log_db_busy": {
        "sv": "Databasen är upptagen just nu; besöket sparades inte. Försök igen om en stund.",
        "en": "The database is busy right now; the visit was not saved. Try again in a moment.",
    },
    # --- Patrol planning: Planera pass, routes, settings, CLI (issue 5) ---
    "page_pass": {"sv": "Planera pass", "en": "Plan a shift"},
    "set_stop_minutes.sleeping_place": {"sv": "Minuter vid en sovplats (ruttplanering)",
                                        "en": "Minutes at a sleeping place (route planning)"},
    "set_stop_minutes.encampment": {"sv": "Minuter vid en boplats (ruttplanering)",
                                    "en": "Minutes at an encampment (route planning)"},
    "set_stop_minutes.other": {"sv": "Minuter vid en annan plats (ruttplanering)",
                               "en": "Minutes at another place (route planning)"},
    "set_route_base": {"sv": "Utgångspunkt för passets rutter (lat, lon)",
                       "en": "Base where a shift's routes start and end (lat, lon)"},
    "set_route_base_help": {
        "sv": "T.ex. teamets kontor. Standard: T-Centralen, 59.33090, 18.05930.",
        "en": "E.g. the team's office. Default: T-Centralen, 59.33090, 18.05930.",
    },
    "route_err_mode": {"sv": "Okänt färdsätt {mode}; välj ett av {modes}.",
                       "en": "Unknown mode of travel {mode}; choose one of {modes}."},
    "route_err_pairs_range": {"sv": "Antalet par måste vara mellan 1 och {high} (fick {pairs}).",
                              "en": "The number of pairs must be between 1 and {high} (got {pairs})."},
    "route_err_hours": {"sv": "Passets längd måste vara mer än 0 och högst {high} timmar (fick {hours}).",
                        "en": "The shift length must be more than 0 and at most {high} hours (got {hours})."},
    "route_err_outside": {
        "sv": "Utgångspunkten {lat}, {lon} ligger utanför serviceområdet; välj en punkt i Stockholm.",
        "en": "The start point {lat}, {lon} is outside the service area; choose a point in Stockholm.",
    },
    "route_err_no_candidates": {
        "sv": "Det finns inga platser att planera: ingen plats är försenad och inga platser är valda som måste besökas.",
        "en": "There are no places to plan: no place is overdue and no place is chosen as a must-visit.",
    },
    "route_err_more_pairs": {
        "sv": "Fler par ({pairs}) än platser att besöka ({places}); minska antalet par.",
        "en": "More pairs ({pairs}) than places to visit ({places}); lower the number of pairs.",
    },
    "route_err_too_short": {
        "sv": "Passet på {hours} timmar räcker inte till en enda plats (dit, besöket och tillbaka); förläng passet.",
        "en": "A {hours}-hour shift is too short for a single place (there, the visit and back); lengthen the shift.",
    },
    "route_err_no_solution": {"sv": "Ingen plan hittades.", "en": "No plan was found."},
    "route_mode_walk": {"sv": "till fots", "en": "on foot"},
    "route_mode_transit": {"sv": "kollektivt", "en": "public transport"},
    "route_mode_car": {"sv": "bil", "en": "car"},
    "route_mode_note_walk": {"sv": "Till fots: {speed} km/h.", "en": "On foot: {speed} km/h."},
    "route_mode_note_transit": {
        "sv": "Kollektivt: i snitt {speed} km/h dörr till dörr plus {wait} minuters väntan per sträcka; "
              "korta sträckor går man (4,5 km/h) när det går fortare.",
        "en": "Public transport: {speed} km/h door to door on average plus {wait} minutes' wait per leg; "
              "short legs are walked (4.5 km/h) when that is quicker.",
    },
    "route_mode_note_car": {
        "sv": "Bil: i snitt {speed} km/h i stadstrafik plus {wait} minuter per sträcka för parkering; "
              "korta sträckor går man (4,5 km/h) när det går fortare.",
        "en": "Car: {speed} km/h on average in city traffic plus {wait} minutes per leg to park; "
              "short legs are walked (4.5 km/h) when that is quicker.",
    },
    "route_pair": {"sv": "Par {pair}", "en": "Pair {pair}"},
    "route_start": {"sv": "Start", "en": "Start"},
    "route_end": {"sv": "Tillbaka", "en": "Back"},
    "route_summary": {"sv": "{stops} stopp, {minutes} min, {km} km, tillbaka {back}",
                      "en": "{stops} stops, {minutes} min, {km} km, back at {back}"},
    "route_print_title": {"sv": "Uppsök – pass {date} kl. {time}", "en": "Uppsök – shift {date} at {time}"},
    "route_detour_note": {
        "sv": "Tider och avstånd är uppskattade: fågelvägen gånger {factor} för gator och vatten, inte ett vägnät.",
        "en": "Times and distances are estimates: the straight line times {factor} for streets and water, not a street network.",
    },
    "route_col_order": {"sv": "Nr", "en": "No."},
    "route_col_arrival": {"sv": "Ankomst", "en": "Arrival"},
    "route_col_minutes": {"sv": "Minuter", "en": "Minutes"},
    "route_col_km": {"sv": "km dit", "en": "km to it"},
    "route_col_pair": {"sv": "Par", "en": "Pair"},
    "route_col_reason": {"sv": "Varför utanför", "en": "Why left out"},
    "route_col_done": {"sv": "Gjort", "en": "Done"},
    "route_left_skipped": {"sv": "hoppas över (valt)", "en": "skipped (chosen)"},
    "route_left_too_far": {"sv": "för långt bort för passet", "en": "too far for the shift"},
    "route_left_time": {"sv": "fick inte plats i tiden", "en": "did not fit in the time"},
    "route_left_must": {"sv": "måste besökas", "en": "must-visit"},
    "pass_heading": {"sv": "Planera pass", "en": "Plan a shift"},
    "pass_caption": {
        "sv": "Rutter för passets par som hinner besöka de mest angelägna platserna (poängen från Planera). "
              "Avstånden är fågelvägen gånger {factor}, en uppskattning för gator, broar och vatten.",
        "en": "Routes for the shift's pairs that visit the most urgent places in time (the score from Plan). "
              "Distances are the straight line times {factor}, an estimate for streets, bridges and water.",
    },
    "pass_date": {"sv": "Datum", "en": "Date"},
    "pass_shift": {"sv": "Pass", "en": "Shift"},
    "pass_start_time": {"sv": "Start", "en": "Start"},
    "pass_pairs": {"sv": "Par", "en": "Pairs"},
    "pass_hours": {"sv": "Timmar", "en": "Hours"},
    "pass_mode": {"sv": "Färdsätt", "en": "Travel"},
    "pass_start_from": {"sv": "Start och mål", "en": "Start and end"},
    "pass_start_base": {"sv": "Utgångspunkten", "en": "The base"},
    "pass_start_place": {"sv": "En plats", "en": "A place"},
    "pass_start_map": {"sv": "På kartan", "en": "On the map"},
    "pass_base_is": {"sv": "Utgångspunkten är {point} (ändras under Inställningar).",
                     "en": "The base is {point} (change it under Settings)."},
    "pass_place": {"sv": "Starta och sluta vid", "en": "Start and end at"},
    "pass_must": {"sv": "Måste besökas", "en": "Must visit"},
    "pass_skip": {"sv": "Hoppa över", "en": "Skip"},
    "pass_candidates": {"sv": "{count} platser att välja bland (försenade och de som måste besökas).",
                        "en": "{count} places to choose from (overdue ones and the must-visits)."},
    "pass_submit": {"sv": "Planera", "en": "Plan"},
    "pass_planning": {"sv": "Planerar …", "en": "Planning …"},
    "pass_no_start": {"sv": "Välj först var passet startar.", "en": "First choose where the shift starts."},
    "pass_metric_urgency": {"sv": "Poäng som besöks", "en": "Score visited"},
    "pass_metric_stops": {"sv": "Stopp", "en": "Stops"},
    "pass_metric_left": {"sv": "Utanför planen", "en": "Left out"},
    "pass_plan_for": {"sv": "Plan för {date} kl. {time} ({shift}), {pairs} par, {hours} timmar, {mode}.",
                      "en": "Plan for {date} at {time} ({shift}), {pairs} pairs, {hours} hours, {mode}."},
    "pass_must_missing": {"sv": "{place} måste besökas men får inte plats: {reason}.",
                          "en": "{place} is a must-visit but does not fit: {reason}."},
    "pass_pair_empty": {"sv": "Inga stopp för det här paret.", "en": "No stops for this pair."},
    "pass_link_leg": {"sv": "Vägbeskrivning {leg}/{legs}", "en": "Directions {leg}/{legs}"},
    "pass_links_note": {
        "sv": "Länkarna öppnar gångvägen i Google Maps på telefonen, högst {per} mellanstopp per länk "
              "(gränsen i en mobilwebbläsare); en längre rutt delas i flera länkar.",
        "en": "The links open the walking directions in Google Maps on a phone, at most {per} waypoints per link "
              "(the limit in a mobile browser); a longer route is split into several links.",
    },
    "pass_left_heading": {"sv": "Utanför planen ({count})", "en": "Left out ({count})"},
    "pass_download_html": {"sv": "Utskrift (HTML)", "en": "Print (HTML)"},
    "pass_download_csv": {"sv": "CSV", "en": "CSV"},
    "pass_download_gpx": {"sv": "GPX", "en": "GPX"},
    "pass_save": {"sv": "Spara planen", "en": "Save the plan"},
    "pass_saved": {"sv": "Planen är sparad ({plan}).", "en": "The plan is saved ({plan})."},
    "pass_saved_heading": {"sv": "Sparade planer och vad som blev gjort", "en": "Saved plans and what was done"},
    "pass_compare_caption": {
        "sv": "Besök som loggats under passet (±{slack} minuter) jämförs med planen.",
        "en": "Visits logged during the shift (±{slack} minutes) are compared with the plan.",
    },
    "pass_no_saved": {"sv": "Inga sparade planer ännu.", "en": "No saved plans yet."},
    "pass_saved_pick": {"sv": "Plan", "en": "Plan"},
    "pass_saved_label": {"sv": "{date} ({shift}), {pairs} par, {stops} stopp",
                         "en": "{date} ({shift}), {pairs} pairs, {stops} stops"},
    "pass_cmp_planned": {"sv": "Planerade stopp", "en": "Planned stops"},
    "pass_cmp_visited": {"sv": "Besökta enligt plan", "en": "Visited as planned"},
    "pass_cmp_missed": {"sv": "Inte besökta", "en": "Not visited"},
    "pass_cmp_off_plan": {"sv": "Besökta utanför planen", "en": "Visited off-plan"},
    "pass_cmp_none": {"sv": "Inga.", "en": "None."},
    "pass_cmp_visited_at": {"sv": "Besökt", "en": "Visited"},
    "pass_cmp_visits": {"sv": "Besök", "en": "Visits"},
    # --- Access: login, roles, users, audit log, upload limit (issue 7) ---
    "upload_too_big": {
        "sv": "Filen är {size:.0f} MB; den största fil sidan tar emot är {limit} MB. Dela upp filen eller "
              "använd kommandot `{command}`.",
        "en": "The file is {size:.0f} MB; the largest file this page accepts is {limit} MB. Split the file or "
              "use the command `{command}`.",
    },
    "login_intro": {
        "sv": "Uppsök innehåller uppgifter om mycket utsatta människor. Logga in med ditt konto i staden för att fortsätta.",
        "en": "Uppsök holds information about very vulnerable people. Sign in with your city account to continue.",
    },
    "login_button": {"sv": "Logga in", "en": "Sign in"},
    "logout_button": {"sv": "Logga ut", "en": "Sign out"},
    "signed_in_as": {"sv": "Inloggad som {email} ({role})", "en": "Signed in as {email} ({role})"},
    "access_no_role": {
        "sv": "Du är inloggad som {email} men har ingen roll i Uppsök. Be en administratör att lägga till dig.",
        "en": "You are signed in as {email} but have no role in Uppsök. Ask an administrator to add you.",
    },
    "access_refused": {
        "sv": "Din roll har inte tillgång till den här sidan.",
        "en": "Your role does not have access to this page.",
    },
    "local_mode_banner": {
        "sv": "Lokalt läge: ingen inloggning är konfigurerad (se README), så vem som helst som når appen "
              "kan välja roll i sidomenyn. Använd inte lokalt läge med riktiga uppgifter på ett delat nätverk.",
        "en": "Local mode: no login is configured (see README), so anyone who reaches the app can choose "
              "a role in the sidebar. Do not use local mode with real data on a shared network.",
    },
    "local_exposed": {
        "sv": "Uppsök körs utan inloggning men nås från nätverket, så vem som helst kunde bli administratör; "
              "konfigurera inloggning ([auth] i secrets.toml) eller starta med --server.address 127.0.0.1.",
        "en": "Uppsök runs without a login but is reachable from the network, so anyone could become an "
              "administrator; configure a login ([auth] in secrets.toml) or start with --server.address 127.0.0.1.",
    },
    "local_exposed_override": {
        "sv": "VARNING: lokalt läge utan inloggning är öppet för nätverket (UPPSOK_ALLOW_OPEN_LOCAL_MODE=1): "
              "alla som når appen kan välja rollen administratör.",
        "en": "WARNING: local mode without a login is open to the network (UPPSOK_ALLOW_OPEN_LOCAL_MODE=1): "
              "anyone who reaches the app can choose the administrator role.",
    },
    "local_role_switch": {"sv": "Roll (lokalt läge)", "en": "Role (local mode)"},
    "role_field_worker": {"sv": "fältarbetare", "en": "field worker"},
    "role_team_lead": {"sv": "teamledare", "en": "team lead"},
    "role_manager": {"sv": "chef", "en": "manager"},
    "role_partner": {"sv": "partner", "en": "partner"},
    "role_admin": {"sv": "administratör", "en": "administrator"},
    "page_users": {"sv": "Användare", "en": "Users"},
    "page_audit": {"sv": "Granskning", "en": "Audit log"},
    "areas_read_only": {
        "sv": "Din roll kan se vilka områdesindelningar som finns men inte importera eller ta bort dem.",
        "en": "Your role can see which boundary layers exist but not import or delete them.",
    },
    "users_heading": {"sv": "Användare och roller", "en": "Users and roles"},
    "users_intro": {
        "sv": "Roll per e-postadress eller per grupp från inloggningen (gruppanspråket groups). En e-postadress "
              "går före grupper; har någon flera grupper gäller den mest betrodda rollen. Varje ändring loggas.",
        "en": "Role per e-mail address or per group from the sign-in (the groups claim). An e-mail address "
              "comes before groups; with several groups the most trusted role applies. Every change is logged.",
    },
    "users_none": {"sv": "Inga roller är tilldelade ännu.", "en": "No roles are assigned yet."},
    "users_kind": {"sv": "Typ", "en": "Type"},
    "users_kind_email": {"sv": "e-post", "en": "e-mail"},
    "users_kind_group": {"sv": "grupp", "en": "group"},
    "users_principal": {"sv": "E-postadress eller grupp", "en": "E-mail address or group"},
    "users_role": {"sv": "Roll", "en": "Role"},
    "users_updated": {"sv": "Ändrad", "en": "Changed"},
    "users_actor": {"sv": "Av", "en": "By"},
    "users_add_heading": {"sv": "Lägg till eller ändra", "en": "Add or change"},
    "users_save": {"sv": "Spara roll", "en": "Save role"},
    "users_saved": {"sv": "{principal} har nu rollen {role}.", "en": "{principal} now has the role {role}."},
    "users_unchanged": {"sv": "{principal} hade redan rollen {role}.", "en": "{principal} already had the role {role}."},
    "users_remove_heading": {"sv": "Ta bort", "en": "Remove"},
    "users_remove_pick": {"sv": "Rad att ta bort", "en": "Row to remove"},
    "users_remove": {"sv": "Ta bort roll", "en": "Remove role"},
    "users_removed": {"sv": "Rollen för {principal} är borttagen.", "en": "The role of {principal} is removed."},
    "users_bad_kind": {"sv": "Typen måste vara e-post eller grupp.", "en": "The type must be e-mail or group."},
    "users_bad_principal": {"sv": "Ange en e-postadress eller ett gruppnamn (högst 200 tecken).",
                            "en": "Enter an e-mail address or a group name (at most 200 characters)."},
    "users_bad_email": {"sv": "Det ser inte ut som en e-postadress.", "en": "That does not look like an e-mail address."},
    "users_bad_role": {"sv": "Okänd roll.", "en": "Unknown role."},
    "users_last_admin": {
        "sv": "Ändringen skulle ta bort den sista administratören; lägg först till en annan.",
        "en": "The change would remove the last administrator; add another one first.",
    },
    "audit_heading": {"sv": "Granskningslogg", "en": "Audit log"},
    "audit_intro": {
        "sv": "Varje inloggning, import, ångrad import, ändring, export och rolländring. Tider i svensk tid.",
        "en": "Every sign-in, import, undo, edit, export and role change. Times in Stockholm time.",
    },
    "audit_actor": {"sv": "Vem (innehåller)", "en": "Who (contains)"},
    "audit_actions": {"sv": "Händelser", "en": "Actions"},
    "audit_from": {"sv": "Från och med", "en": "From"},
    "audit_to": {"sv": "Till och med", "en": "To"},
    "audit_text": {"sv": "Fritext i detaljerna", "en": "Free text in the details"},
    "audit_at": {"sv": "Tid", "en": "Time"},
    "audit_who": {"sv": "Vem", "en": "Who"},
    "audit_action": {"sv": "Händelse", "en": "Action"},
    "audit_details": {"sv": "Detaljer", "en": "Details"},
    "audit_count": {"sv": "{shown} av {total} rader visas.", "en": "{shown} of {total} rows shown."},
    "audit_empty": {"sv": "Inga rader matchar.", "en": "No rows match."},
    "audit_download": {"sv": "Ladda ner som CSV", "en": "Download as CSV"},
    # --- Partner reports and feedback (issue 7 items 3 and 6: rapportera.py, synpunkter.py, maps, settings)
    "page_report": {"sv": "Rapportera", "en": "Report"},
    "page_feedback": {"sv": "Synpunkter", "en": "Feedback"},
    "set_socialjouren_phone": {"sv": "Socialjourens telefonnummer", "en": "Socialjouren's phone number"},
    "set_socialjouren_phone_help": {
        "sv": "Visas direkt när en partner rapporterar ett akut behov.",
        "en": "Shown at once when a partner reports an acute need.",
    },
    "rep_heading": {"sv": "Rapportera en sovplats eller boplats", "en": "Report a sleeping place or encampment"},
    "rep_intro": {
        "sv": "För partner, och för personal som tar emot ett samtal. Skriv aldrig namn, personnummer eller "
              "telefonnummer: sådana uppgifter tas bort innan rapporten sparas.",
        "en": "For partners, and for staff taking a phone call. Never write names, personal identity numbers or "
              "phone numbers: such details are removed before the report is stored.",
    },
    "rep_where": {"sv": "Var?", "en": "Where?"},
    "rep_mode_map": {"sv": "Tryck på kartan", "en": "Tap the map"},
    "rep_mode_coords": {"sv": "Koordinater", "en": "Coordinates"},
    "rep_mode_text": {"sv": "Bara beskrivning", "en": "Description only"},
    "rep_map_hint": {"sv": "Tryck på kartan där platsen är.", "en": "Tap the map where the place is."},
    "rep_picked": {"sv": "Vald punkt: {lat:.5f}, {lon:.5f}", "en": "Picked point: {lat:.5f}, {lon:.5f}"},
    "rep_not_picked": {"sv": "Ingen punkt vald ännu.", "en": "No point picked yet."},
    "rep_coords": {"sv": "Koordinater (latitud, longitud)", "en": "Coordinates (latitude, longitude)"},
    "rep_coords_help": {
        "sv": "Till exempel 59.33, 18.06 (WGS84, som i en karttjänst) eller SWEREF 99 TM (nord, öst).",
        "en": "For example 59.33, 18.06 (WGS84, as a map service gives it) or SWEREF 99 TM (northing, easting).",
    },
    "rep_description": {"sv": "Beskriv platsen (adress, landmärke)", "en": "Describe the place (address, landmark)"},
    "rep_description_help": {
        "sv": "Till exempel \"bakom kiosken vid busshållplatsen, i buskarna\". Krävs när ingen punkt eller koordinat anges.",
        "en": "For example \"behind the kiosk by the bus stop, in the bushes\". Required when no point or coordinates are given.",
    },
    "rep_kind": {"sv": "Sovplats eller boplats", "en": "Sleeping place or encampment"},
    "rep_people": {"sv": "Hur många personer?", "en": "How many people?"},
    "rep_people_help": {"sv": "Tomt = vet inte.", "en": "Empty = not known."},
    "rep_acute": {"sv": "Akut behov", "en": "Acute need"},
    "rep_acute_kinds": {"sv": "Vilket akut behov?", "en": "What acute need?"},
    "rep_acute_child_at_risk": {"sv": "barn i riskzonen", "en": "child at risk"},
    "rep_acute_pregnancy": {"sv": "graviditet", "en": "pregnancy"},
    "rep_acute_addiction_mental_illness": {
        "sv": "svårt missbruk eller psykisk ohälsa", "en": "severe addiction or mental illness"},
    "rep_acute_elderly_disabled": {"sv": "äldre eller funktionsnedsatt", "en": "elderly or disabled"},
    "rep_call_now": {
        "sv": "Akut: ring Socialjouren direkt på {phone}. Rapporten här ersätter inte samtalet.",
        "en": "Acute: call Socialjouren at once on {phone}. This report does not replace the call.",
    },
    "rep_message": {"sv": "Meddelande till teamet (frivilligt)", "en": "Message to the team (optional)"},
    "rep_submit": {"sv": "Skicka rapporten", "en": "Send the report"},
    "rep_saved": {"sv": "Tack! Rapport nr {report_id} är mottagen.", "en": "Thank you! Report no. {report_id} is received."},
    "rep_saved_no_position": {
        "sv": "Rapporten har ingen punkt på kartan; teamet kan behöva fråga dig var platsen är.",
        "en": "The report has no point on the map; the team may need to ask you where the place is.",
    },
    "rep_removed": {
        "sv": "{count} identifierande uppgifter (personnummer, telefon, e-post) togs bort ur texten.",
        "en": "{count} identifying details (personal identity number, phone, e-mail) were removed from the text.",
    },
    "rep_err_coordinates": {
        "sv": "{text} är inte en position i Sverige; skriv till exempel 59.33, 18.06.",
        "en": "{text} is not a position in Sweden; write for example 59.33, 18.06.",
    },
    "rep_err_outside": {
        "sv": "Punkten {lat:.5f}, {lon:.5f} ligger {km:.1f} km utanför teamets område; kontrollera platsen.",
        "en": "The point {lat:.5f}, {lon:.5f} lies {km:.1f} km outside the team's area; check the place.",
    },
    "rep_err_kind": {"sv": "Välj sovplats eller boplats.", "en": "Choose sleeping place or encampment."},
    "rep_err_people": {"sv": "Antalet personer måste vara 0–{high}.", "en": "The number of people must be 0–{high}."},
    "rep_err_acute_kind": {"sv": "Okänt akut behov: {kind}.", "en": "Unknown acute need: {kind}."},
    "rep_err_where": {
        "sv": "Ange var: tryck på kartan, skriv koordinater eller beskriv platsen.",
        "en": "Say where: tap the map, type coordinates or describe the place.",
    },
    "rep_err_status": {"sv": "Okänd status: {status}.", "en": "Unknown status: {status}."},
    "rep_err_unknown": {"sv": "Rapport nr {report_id} finns inte.", "en": "Report no. {report_id} does not exist."},
    "rep_own_heading": {"sv": "Mina rapporter", "en": "My reports"},
    "rep_own_empty": {"sv": "Du har inte skickat några rapporter ännu.", "en": "You have not sent any reports yet."},
    "rep_col_id": {"sv": "Nr", "en": "No."},
    "rep_col_reported": {"sv": "Rapporterad", "en": "Reported"},
    "rep_col_kind": {"sv": "Typ", "en": "Kind"},
    "rep_col_people": {"sv": "Personer", "en": "People"},
    "rep_col_acute": {"sv": "Akut", "en": "Acute"},
    "rep_col_status": {"sv": "Status", "en": "Status"},
    "rep_col_where": {"sv": "Var", "en": "Where"},
    "rep_col_by": {"sv": "Från", "en": "From"},
    "rep_col_message": {"sv": "Meddelande", "en": "Message"},
    "rep_col_place": {"sv": "Känd plats inom radien", "en": "Known place within the radius"},
    "rep_yes": {"sv": "ja", "en": "yes"},
    "rep_no": {"sv": "nej", "en": "no"},
    "rep_status_new": {"sv": "ny", "en": "new"},
    "rep_status_seen": {"sv": "sedd", "en": "seen"},
    "rep_status_visited": {"sv": "besökt", "en": "visited"},
    "rep_status_closed": {"sv": "avslutad", "en": "closed"},
    "rep_no_position": {"sv": "ingen punkt", "en": "no point"},
    "rep_inbox_heading": {"sv": "Inkomna rapporter", "en": "Incoming reports"},
    "rep_inbox_caption": {
        "sv": "En rapport blir besökt av sig själv när ett besök loggas vid en känd plats inom {radius} m efter "
              "rapporten. Nya och sedda rapporter syns på kartan och i planeringen.",
        "en": "A report becomes visited by itself when a visit is logged at a known place within {radius} m after "
              "the report. New and seen reports show on the map and in the plan.",
    },
    "rep_inbox_filter": {"sv": "Visa status", "en": "Show status"},
    "rep_inbox_empty": {"sv": "Inga rapporter med vald status.", "en": "No reports with the chosen status."},
    "rep_pick": {"sv": "Rapport", "en": "Report"},
    "rep_new_status": {"sv": "Ny status", "en": "New status"},
    "rep_set_status": {"sv": "Spara status", "en": "Save the status"},
    "rep_status_saved": {"sv": "Rapport nr {report_id}: {before} → {after}.", "en": "Report no. {report_id}: {before} → {after}."},
    "rep_status_same": {"sv": "Statusen är redan {status}.", "en": "The status is already {status}."},
    "rep_layer_title": {"sv": "Rapporterad, ännu inte besökt", "en": "Reported, not yet visited"},
    "legend_reports": {"sv": "Rapporter från partner", "en": "Reports from partners"},
    "legend_report_open": {"sv": "rapporterad, ännu inte besökt", "en": "reported, not yet visited"},
    "fb_heading": {"sv": "Synpunkter och klagomål", "en": "Feedback and complaints"},
    "fb_intro": {
        "sv": "Registrera synpunkter, klagomål och beröm från besökare och partner, och följ varje ärende till "
              "ett svar. Skriv inga namn eller kontaktuppgifter: personnummer, telefon och e-post tas bort.",
        "en": "Register feedback, complaints and praise from visitors and partners, and follow each case to a "
              "reply. Write no names or contact details: identity numbers, phones and e-mails are removed.",
    },
    "fb_new_heading": {"sv": "Registrera", "en": "Register"},
    "fb_received_on": {"sv": "Mottagen", "en": "Received"},
    "fb_channel": {"sv": "Kanal", "en": "Channel"},
    "fb_channel_phone": {"sv": "telefon", "en": "phone"},
    "fb_channel_email": {"sv": "e-post", "en": "e-mail"},
    "fb_channel_letter": {"sv": "brev", "en": "letter"},
    "fb_channel_in_person": {"sv": "personligen", "en": "in person"},
    "fb_channel_partner": {"sv": "via partner", "en": "through a partner"},
    "fb_channel_other": {"sv": "annat", "en": "other"},
    "fb_from_whom": {"sv": "Från vem", "en": "From whom"},
    "fb_from_whom_help": {
        "sv": "Till exempel \"besökare vid Hötorget\" eller partnerorganisationen; inga namn eller kontaktuppgifter.",
        "en": "For example \"visitor at Hötorget\" or the partner organisation; no names or contact details.",
    },
    "fb_category": {"sv": "Kategori", "en": "Category"},
    "fb_category_opinion": {"sv": "synpunkt", "en": "opinion"},
    "fb_category_complaint": {"sv": "klagomål", "en": "complaint"},
    "fb_category_praise": {"sv": "beröm", "en": "praise"},
    "fb_body": {"sv": "Vad det gäller", "en": "What it is about"},
    "fb_responsible": {"sv": "Ansvarig", "en": "Responsible"},
    "fb_register": {"sv": "Registrera", "en": "Register"},
    "fb_registered": {"sv": "Ärende nr {feedback_id} är registrerat.", "en": "Case no. {feedback_id} is registered."},
    "fb_removed": {
        "sv": "{count} identifierande uppgifter (personnummer, telefon, e-post) togs bort ur texten.",
        "en": "{count} identifying details (personal identity number, phone, e-mail) were removed from the text.",
    },
    "fb_list_heading": {"sv": "Ärenden", "en": "Cases"},
    "fb_filter_status": {"sv": "Status", "en": "Status"},
    "fb_filter_category": {"sv": "Kategori", "en": "Category"},
    "fb_empty": {"sv": "Inga ärenden med valda filter.", "en": "No cases with the chosen filters."},
    "fb_status": {"sv": "Status", "en": "Status"},
    "fb_status_received": {"sv": "mottagen", "en": "received"},
    "fb_status_in_progress": {"sv": "under handläggning", "en": "in progress"},
    "fb_status_answered": {"sv": "besvarad", "en": "answered"},
    "fb_col_id": {"sv": "Nr", "en": "No."},
    "fb_answered_on": {"sv": "Besvarad", "en": "Answered"},
    "fb_follow_heading": {"sv": "Följ upp ett ärende", "en": "Follow up a case"},
    "fb_pick": {"sv": "Ärende", "en": "Case"},
    "fb_reply": {"sv": "Svar", "en": "Reply"},
    "fb_save": {"sv": "Spara", "en": "Save"},
    "fb_saved": {"sv": "Ärende nr {feedback_id} uppdaterat ({count} ändringar).",
                 "en": "Case no. {feedback_id} updated ({count} changes)."},
    "fb_unchanged": {"sv": "Inget ändrades.", "en": "Nothing changed."},
    "fb_err_channel": {"sv": "Okänd kanal: {channel}.", "en": "Unknown channel: {channel}."},
    "fb_err_category": {"sv": "Okänd kategori: {category}.", "en": "Unknown category: {category}."},
    "fb_err_future": {"sv": "Datumet kan inte ligga i framtiden.", "en": "The date cannot be in the future."},
    "fb_err_body": {"sv": "Skriv vad synpunkten gäller.", "en": "Write what the feedback is about."},
    "fb_err_status": {"sv": "Okänd status: {status}.", "en": "Unknown status: {status}."},
    "fb_err_unknown": {"sv": "Ärende nr {feedback_id} finns inte.", "en": "Case no. {feedback_id} does not exist."},
    "fb_err_reply": {"sv": "Ett besvarat ärende behöver ett svar.", "en": "An answered case needs a reply."},
    # --- Trends, estimate and the report for samverkansgruppen (issue 6) ---------------
    "page_trends": {"sv": "Trender", "en": "Trends"},
    "trends_heading": {"sv": "Trender: besök, täckning och antal över tid", "en": "Trends: visits, coverage and counts over time"},
    "trends_caption": {
        "sv": "Per vecka (ISO-veckonummer) eller månad, med samma period ett år tidigare som streckad linje.",
        "en": "Per week (ISO week number) or month, with the same period a year earlier as a dashed line.",
    },
    "trends_from": {"sv": "Från", "en": "From"},
    "trends_to": {"sv": "Till", "en": "To"},
    "trends_freq": {"sv": "Per", "en": "Per"},
    "trends_freq_week": {"sv": "vecka", "en": "week"},
    "trends_freq_month": {"sv": "månad", "en": "month"},
    "trends_split": {"sv": "Dela upp efter", "en": "Split by"},
    "trends_split_none": {"sv": "ingen uppdelning", "en": "no split"},
    "trends_split_shift": {"sv": "pass", "en": "shift"},
    "trends_split_district": {"sv": "distrikt", "en": "district"},
    "trends_layer": {"sv": "Distriktslager", "en": "District layer"},
    "trends_no_layers": {
        "sv": "Inga distriktslager är importerade; importera ett på sidan Områden för att dela upp efter distrikt.",
        "en": "No district layers are imported; import one on the Areas page to split by district.",
    },
    "trends_metrics": {"sv": "Visa", "en": "Show"},
    "trends_metric_visits": {"sv": "Besök", "en": "Visits"},
    "trends_metric_sweeps": {"sv": "Avsökningar (ingen där)", "en": "Sweeps (nobody there)"},
    "trends_metric_places_visited": {"sv": "Besökta platser", "en": "Places visited"},
    "trends_metric_coverage": {"sv": "Täckning (andel platser inom mål)", "en": "Coverage (share of places within target)"},
    "trends_metric_people": {"sv": "Personer sedda", "en": "People seen"},
    "trends_metric_acute": {"sv": "Akuta fall", "en": "Acute cases"},
    "trends_metric_referred": {"sv": "Hänvisningar", "en": "Referrals"},
    "trends_week": {"sv": "Vecka", "en": "Week"},
    "trends_month": {"sv": "Månad", "en": "Month"},
    "trends_group": {"sv": "Grupp", "en": "Group"},
    "trends_series": {"sv": "Serie", "en": "Series"},
    "trends_this_period": {"sv": "Vald period", "en": "Chosen period"},
    "trends_year_earlier": {"sv": "Ett år tidigare", "en": "A year earlier"},
    "trends_outside": {"sv": "utanför alla distrikt", "en": "outside every district"},
    "trends_all": {"sv": "alla", "en": "all"},
    "trends_bad_period": {"sv": "Perioden slutar innan den börjar.", "en": "The period ends before it starts."},
    "trends_definitions": {
        "sv": "**Så räknas det.** Personer sedda: för varje plats det *högsta* antalet under veckan (eller månaden), "
              "summerat över platser — upprepade besök på samma plats räknas aldrig ihop. Täckning: andelen aktiva "
              "platser (som fanns och inte var avvecklade) som besökts inom sin typs målintervall vid veckans slut; "
              "7 dagar = samma vecka, 14 dagar = samma eller föregående vecka. En månad är de ISO-veckor vars torsdag "
              "ligger i månaden; månadens täckning är den vid sista veckans slut. Avsökning = besök där ingen fanns.",
        "en": "**How it is counted.** People seen: for every place the *highest* count in the week (or month), summed "
              "over places — repeated visits to the same place never add up. Coverage: the share of active places "
              "(existing, not cleared) visited within their kind's target interval at the end of the week; 7 days = "
              "the same week, 14 days = the same or the previous week. A month holds the ISO weeks whose Thursday falls "
              "in it; its coverage is the one at the end of its last week. Sweep = a visit where nobody was there.",
    },
    "set_estimate_max_age_days": {"sv": "Skattningen: äldsta antal som förs fram (dagar)",
                                  "en": "Estimate: oldest count carried forward (days)"},
    "estimate_heading": {"sv": "Skattning av antalet personer", "en": "Estimate of the number of people"},
    "estimate_date": {"sv": "Datum", "en": "Date"},
    "estimate_window": {"sv": "Fönster (dagar)", "en": "Window (days)"},
    "estimate_point": {"sv": "Skattat antal personer", "en": "Estimated number of people"},
    "estimate_range": {"sv": "Intervall (lägst–högst)", "en": "Range (low–high)"},
    "estimate_low": {"sv": "Lägst", "en": "Low"},
    "estimate_high": {"sv": "Högst", "en": "High"},
    "estimate_places": {
        "sv": "{seen} platser sedda inom fönstret; {carried} platser med äldre antal (högst {max_age} dagar) förs fram.",
        "en": "{seen} places seen within the window; {carried} places with older counts (at most {max_age} days) carried forward.",
    },
    "estimate_method_heading": {"sv": "Hur skattningen görs", "en": "How the estimate is made"},
    "estimate_method": {
        "sv": "Vi räknar personer på platser, aldrig enskilda personer.\n\n"
              "* **Lägst**: för varje plats som besökts de senaste {window} dagarna räknas det senaste antalet. Dessa "
              "personer har vi sett nyligen.\n"
              "* **Högst**: lägst plus det senaste antalet på platser som *inte* besökts i fönstret, om antalet är högst "
              "{max_age} dagar gammalt och platsen inte är känd som avvecklad. De personerna fanns där och kan finnas kvar.\n"
              "* **Skattningen**: lägst plus hälften av de framförda antalen. Vi vet inte om en plats som inte besökts "
              "på länge fortfarande används; hälften ligger mitt emellan \"alla har flyttat\" och \"alla är kvar\". "
              "Intervallet visar hur osäkert det är; fler besök gör intervallet smalare.",
        "en": "We count people at places, never individual persons.\n\n"
              "* **Low**: for every place visited in the last {window} days, its latest count. These people were seen "
              "recently.\n"
              "* **High**: low plus the latest count of places *not* visited in the window, if that count is at most "
              "{max_age} days old and the place is not known to be cleared. These people were there and may still be.\n"
              "* **Estimate**: low plus half of the carried-forward counts. We do not know whether a place unvisited for "
              "long is still used; half is the middle between \"all have left\" and \"all are still there\". The range "
              "shows how uncertain that is; more visits narrow it.",
    },
    "estimate_record_heading": {"sv": "Registrera skattningen ni kommunicerar", "en": "Record the estimate you communicate"},
    "estimate_number": {"sv": "Antal", "en": "Number"},
    "estimate_comment": {"sv": "Kommentar (till exempel till vem)", "en": "Comment (for example to whom)"},
    "estimate_save": {"sv": "Spara skattningen", "en": "Save the estimate"},
    "estimate_saved": {"sv": "Skattningen {number} ({low}–{high}) för {day} är sparad.", "en": "The estimate {number} ({low}–{high}) for {day} is saved."},
    "estimate_history_heading": {"sv": "Registrerat mot beräknat", "en": "Recorded against computed"},
    "estimate_computed": {"sv": "Beräknad skattning", "en": "Computed estimate"},
    "estimate_recorded": {"sv": "Registrerad skattning", "en": "Recorded estimate"},
    "estimate_no_records": {"sv": "Ingen skattning är registrerad ännu.", "en": "No estimate is recorded yet."},
    "estimate_col_comment": {"sv": "Kommentar", "en": "Comment"},
    "report_heading": {"sv": "Rapport till samverkansgruppen", "en": "Report for the collaboration group"},
    "report_caption": {
        "sv": "För perioden ovan: bara summor, inga platsnamn eller koordinater, antal 1–4 visas som \"<5\". "
              "Varje rapport som laddas ned loggas.",
        "en": "For the period above: totals only, no place names or coordinates, counts of 1–4 shown as \"<5\". "
              "Every report downloaded is logged.",
    },
    "report_layer": {"sv": "Distriktslager i rapporten", "en": "District layer in the report"},
    "report_download_pdf": {"sv": "Ladda ned rapporten (PDF)", "en": "Download the report (PDF)"},
    "report_download_csv": {"sv": "Ladda ned rapporten (CSV)", "en": "Download the report (CSV)"},
    "report_title": {"sv": "Uppsök – rapport till samverkansgruppen", "en": "Uppsök – report for the collaboration group"},
    "report_period": {"sv": "Period {start} till {end}. Gjord {made}.", "en": "Period {start} to {end}. Made {made}."},
    "report_section_about": {"sv": "om rapporten", "en": "about the report"},
    "report_section_key": {"sv": "Nyckeltal", "en": "Key figures"},
    "report_section_week": {"sv": "per vecka", "en": "per week"},
    "report_section_district": {"sv": "per distrikt", "en": "per district"},
    "report_method_heading": {"sv": "Metod", "en": "Method"},
    "report_coverage_end": {"sv": "Täckning vid periodens slut", "en": "Coverage at the end of the period"},
    "report_district": {"sv": "Distrikt", "en": "District"},
    "report_districts_heading": {"sv": "Per distrikt ({layer})", "en": "Per district ({layer})"},
    "report_col_visits": {"sv": "Besök", "en": "Visits"},
    "report_col_sweeps": {"sv": "Avsökningar", "en": "Sweeps"},
    "report_col_places_visited": {"sv": "Besökta platser", "en": "Places visited"},
    "report_col_people_week": {"sv": "Personer per vecka (medel)", "en": "People per week (mean)"},
    "report_col_acute": {"sv": "Akuta fall", "en": "Acute cases"},
    "report_col_referred": {"sv": "Hänvisningar", "en": "Referrals"},
    "report_csv_section": {"sv": "avsnitt", "en": "section"},
    "report_csv_figure": {"sv": "mått", "en": "figure"},
    "report_csv_group": {"sv": "vecka eller distrikt", "en": "week or district"},
    "report_csv_value": {"sv": "värde", "en": "value"},
    "report_method": {
        "sv": "Metod: besök, avsökningar (besök där ingen fanns), akuta fall och hänvisningar räknas per period; "
              "personer sedda är för varje plats det högsta antalet under veckan, summerat över platser. Täckning är "
              "andelen aktiva platser besökta inom sin typs målintervall. Skattningen av antalet personer: lägst = "
              "senaste antal på platser besökta de senaste {window} dagarna; högst = lägst plus senaste antal (högst "
              "{max_age} dagar gamla) på platser som inte besökts i fönstret och inte är avvecklade; skattningen = "
              "lägst plus hälften av de framförda antalen.",
        "en": "Method: visits, sweeps (visits where nobody was there), acute cases and referrals are counted per "
              "period; people seen is for every place the highest count in the week, summed over places. Coverage is "
              "the share of active places visited within their kind's target interval. The estimate: low = latest "
              "counts at places visited in the last {window} days; high = low plus the latest counts (at most "
              "{max_age} days old) at places not visited in the window and not cleared; estimate = low plus half the "
              "carried-forward counts.",
    },
    "report_privacy_note": {
        "sv": "Endast summor; antal 1–4 visas som <5 och veckor med 1–4 ritas inte i diagrammen.",
        "en": "Totals only; counts of 1–4 are shown as <5 and weeks with 1–4 are not drawn in the charts.",
    },
    # --- small counts on Trender for managers; retention on Inställningar (admins) ------------
    "trends_small_counts_hidden": {
        "sv": "Antal 1–4 visas som <5 i tabellerna och ritas inte i diagrammen (din roll ser bara summor).",
        "en": "Counts of 1–4 are shown as <5 in the tables and not drawn in the charts (your role sees totals only).",
    },
    "ret_heading": {"sv": "Gallra gamla besök", "en": "Delete old visits"},
    "ret_intro": {
        "sv": "Besök äldre än det antal dagar du väljer sparas bara som summor per plats och vecka; själva "
              "besöken (tider, anteckningar, teamkoder) raderas. Trenderna och rapporten blir desamma, men ett "
              "raderat besök går inte att ta fram igen. Skattningen av antalet personer behöver de enskilda "
              "besöken för fönstret plus tiden då äldre antal förs fram: minst {needed} dagar "
              "({window} + {max_age}). Gallringen skrivs i granskningsloggen.",
        "en": "Visits older than the number of days you choose are kept only as totals per place and week; the "
              "visits themselves (times, notes, team codes) are deleted. Trends and the report stay the same, but "
              "a deleted visit cannot be brought back. The population estimate needs the single visits for its "
              "window plus the time older counts are carried forward: at least {needed} days "
              "({window} + {max_age}). The deletion is written to the audit log.",
    },
    "ret_days": {"sv": "Gallra besök äldre än (dagar)", "en": "Delete visits older than (days)"},
    "ret_too_short": {
        "sv": "Färre än {needed} dagar: skattningen av antalet personer får då för få besök att räkna på.",
        "en": "Fewer than {needed} days: the population estimate would then have too few visits to count.",
    },
    "ret_preview": {
        "sv": "Besök före {cutoff}: {visits} besök i {weeks} veckor skulle sparas som veckosummor och raderas.",
        "en": "Visits before {cutoff}: {visits} visits in {weeks} weeks would be kept as weekly totals and deleted.",
    },
    "ret_nothing": {"sv": "Inga besök före {cutoff}: inget att gallra.",
                    "en": "No visits before {cutoff}: nothing to delete."},
    "ret_confirm": {"sv": "Jag förstår att {visits} besök raderas för gott",
                    "en": "I understand that {visits} visits are deleted for good"},
    "ret_run": {"sv": "Gallra nu", "en": "Delete now"},
    "ret_done": {
        "sv": "{visits} besök före {cutoff} sparades som veckosummor ({weeks} veckor) och raderades.",
        "en": "{visits} visits before {cutoff} were kept as weekly totals ({weeks} weeks) and deleted.",
    },
    # Places page (app_pages/platser.py, geo/places.py)
    "page_places": {"sv": "Platser", "en": "Places"},
    "places_heading": {"sv": "Platser", "en": "Places"},
    "places_intro": {
        "sv": "Alla platser med deras besök. Slå ihop två platser som är samma plats, byt namn eller markera "
              "en plats som röjd. Allt loggas, och en sammanslagning kan ångras.",
        "en": "Every place with its visits. Merge two places that are one, rename one or mark one cleared. "
              "Everything is logged, and a merge can be undone.",
    },
    "places_search": {"sv": "Sök plats", "en": "Search places"},
    "places_none": {"sv": "Inga platser.", "en": "No places."},
    "places_col_visits": {"sv": "Besök", "en": "Visits"},
    "places_col_status": {"sv": "Status", "en": "Status"},
    "places_col_merged_into": {"sv": "Sammanslagen med", "en": "Merged into"},
    "places_status_active": {"sv": "aktiv", "en": "active"},
    "places_status_cleared": {"sv": "röjd", "en": "cleared"},
    "places_status_merged": {"sv": "sammanslagen", "en": "merged"},
    "places_option": {"sv": "{name} · {kind} · {visits} besök · {place_id}",
                      "en": "{name} · {kind} · {visits} visits · {place_id}"},
    "places_pick": {"sv": "Välj en plats …", "en": "Choose a place …"},
    "places_merge_heading": {"sv": "Slå ihop två platser", "en": "Merge two places"},
    "places_keep": {"sv": "Plats som behålls", "en": "Place to keep"},
    "places_merge_from": {"sv": "Plats som slås ihop med den", "en": "Place to merge into it"},
    "places_merge_summary": {
        "sv": "{visits} besök flyttas från {merged} till {kept}; {merged} markeras sammanslagen.",
        "en": "{visits} visits move from {merged} to {kept}; {merged} is marked merged.",
    },
    "places_merge_button": {"sv": "Slå ihop", "en": "Merge"},
    "places_merge_done": {"sv": "{merged} är sammanslagen med {kept}: {visits} besök flyttades.",
                          "en": "{merged} is merged into {kept}: {visits} visits were moved."},
    "places_undo_heading": {"sv": "Ångra en sammanslagning", "en": "Undo a merge"},
    "places_undo_select": {"sv": "Sammanslagning att ångra", "en": "Merge to undo"},
    "places_undo_option": {"sv": "{kept} ← {merged} · {when} · {actor} · {visits} besök",
                           "en": "{kept} ← {merged} · {when} · {actor} · {visits} visits"},
    "places_undo_pick": {"sv": "Välj en sammanslagning …", "en": "Choose a merge …"},
    "places_undo_button": {"sv": "Ångra sammanslagningen", "en": "Undo the merge"},
    "places_undo_done": {"sv": "Sammanslagningen är ångrad: {visits} besök flyttades tillbaka till {merged}.",
                         "en": "The merge is undone: {visits} visits were moved back to {merged}."},
    "places_edit_heading": {"sv": "Byt namn eller markera röjd", "en": "Rename or mark cleared"},
    "places_edit_select": {"sv": "Plats", "en": "Place"},
    "places_new_name": {"sv": "Nytt namn", "en": "New name"},
    "places_rename_button": {"sv": "Byt namn", "en": "Rename"},
    "places_renamed": {"sv": "Platsen heter nu {name}.", "en": "The place is now called {name}."},
    "places_clear_button": {"sv": "Markera röjd", "en": "Mark cleared"},
    "places_reopen_button": {"sv": "Öppna igen", "en": "Reopen"},
    "places_cleared": {"sv": "{name} är markerad som röjd.", "en": "{name} is marked cleared."},
    "places_reopened": {"sv": "{name} är öppen igen.", "en": "{name} is open again."},
    "places_unknown": {"sv": "Platsen {place_id} finns inte.", "en": "The place {place_id} does not exist."},
    "places_is_merged": {"sv": "{name} är sammanslagen med en annan plats; ångra sammanslagningen först.",
                         "en": "{name} is merged into another place; undo the merge first."},
    "places_merge_same": {"sv": "Välj två olika platser att slå ihop.", "en": "Choose two different places to merge."},
    "places_merge_unknown": {"sv": "Sammanslagningen {merge_id} finns inte.",
                             "en": "The merge {merge_id} does not exist."},
    "places_merge_undone": {"sv": "Sammanslagningen {merge_id} är redan ångrad.",
                            "en": "The merge {merge_id} is already undone."},
    "places_merge_later": {"sv": "{name} har sedan slagits ihop med {into}; ångra den sammanslagningen först.",
                           "en": "{name} was later merged into {into}; undo that merge first."},
    "places_name_empty": {"sv": "Skriv ett namn på platsen.", "en": "Write a name for the place."},
    "places_name_long": {"sv": "Namnet får vara högst {max} tecken.", "en": "The name may be at most {max} characters."},
    "places_failed": {"sv": "Ändringen kunde inte sparas; försök igen om en stund.",
                      "en": "The change could not be saved; try again in a moment."},
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    text = TEXTS[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


class TextError(ValueError):
    """Input a user must change, with the reason as a text key: `message(lang)` says it in the
    user's language; str() gives Swedish and English (for logs and the CLI)."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(self.message("sv") + " / " + self.message("en"))

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


def kind_label(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"kind_{kind}", lang)


def shift_label(shift: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"shift_{shift}", lang)
