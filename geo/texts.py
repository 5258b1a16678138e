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
        "sv": "Ladda upp en besöksfil (CSV, TSV, TXT, XLSX eller GeoJSON). Du ser först vad varje rad blir; "
              "inget sparas förrän du trycker på Importera. Personnummer, telefonnummer och e-post tas bort.",
        "en": "Upload a visits file (CSV, TSV, TXT, XLSX or GeoJSON). You first see what each row becomes; "
              "nothing is stored until you press Import. Personal identity numbers, phone numbers and e-mail are removed.",
    },
    "imp_upload": {"sv": "Besöksfil", "en": "Visits file"},
    "imp_too_big": {
        "sv": "Filen är {size:.0f} MB; den största fil sidan tar emot är {limit} MB. Dela upp filen eller "
              "importera den med `python -m geo import`.",
        "en": "The file is {size:.0f} MB; the largest file this page accepts is {limit} MB. Split the file or "
              "import it with `python -m geo import`.",
    },
    "imp_mapping": {"sv": "Kolumner: {found} av {total} kända kolumner hittade", "en": "Columns: {found} of {total} known columns found"},
    "imp_mapping_help": {
        "sv": "Så här läses filens kolumner. Ändra om något blev fel; förhandsvisningen räknas om. "
              "— betyder att filen inte har kolumnen.",
        "en": "This is how the file's columns are read. Change what is wrong; the preview is recomputed. "
              "— means the file does not have the column.",
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
    "imp_duplicates": {"sv": "Dubbletter", "en": "Duplicates"},
    "imp_rejected": {"sv": "Avvisade", "en": "Rejected"},
    "imp_preview_caption": {
        "sv": "Visar de första {shown} av {total} raderna. Inget är sparat ännu.",
        "en": "Showing the first {shown} of {total} rows. Nothing is stored yet.",
    },
    "imp_button": {"sv": "Importera", "en": "Import"},
    "imp_done": {
        "sv": "Import {import_id} av {file} klar: {rows} rader = {imported} importerade + {duplicates} dubbletter "
              "+ {rejected} avvisade.",
        "en": "Import {import_id} of {file} done: {rows} rows = {imported} imported + {duplicates} duplicates "
              "+ {rejected} rejected.",
    },
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
    "imp_failed": {
        "sv": "Importen misslyckades och inget sparades: {error}",
        "en": "The import failed and nothing was stored: {error}",
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
    "undo_kept": {
        "sv": "{kept} platser som importen skapade finns kvar eftersom andra besök använder dem.",
        "en": "{kept} places the import created are kept because other visits use them.",
    },
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
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    text = TEXTS[key][lang if lang in LANGUAGES else DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def kind_label(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"kind_{kind}", lang)


def shift_label(shift: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(f"shift_{shift}", lang)
