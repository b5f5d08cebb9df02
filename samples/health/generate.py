#!/usr/bin/env python3
"""Writes models.json's live part (Patient, CGM sensor, insulin pump) and twins.ndjson (the health sample's twins and
relationships). Run it here after changing them; the pack reads both (the sample's models are models.json, whole)."""
import json

CTX = "dtmi:dtdl:context;3"
PATIENT, SENSOR, PUMP = "dtmi:doppel:health:Patient;1", "dtmi:doppel:health:CgmSensor;1", "dtmi:doppel:health:InsulinPump;1"


def prop(name, schema, description, writable=False):
    p = {"@type": "Property", "name": name, "schema": schema, "description": description}
    if writable:
        p["writable"] = True
    return p


def forecast(minutes):
    return [
        prop(f"glucoseForecast{minutes}", "double", f"Blood glucose forecast {minutes} minutes after the last CGM reading (mg/dL): the median of the forecast ensemble."),
        prop(f"glucoseForecast{minutes}Lower", "double", f"Lower end of the 90% interval of the {minutes}-minute forecast (mg/dL, the 5th percentile)."),
        prop(f"glucoseForecast{minutes}Upper", "double", f"Upper end of the 90% interval of the {minutes}-minute forecast (mg/dL, the 95th percentile)."),
    ]


models = [
    {
        "@context": CTX, "@id": PATIENT, "@type": "Interface", "displayName": "Patient (type 1 diabetes)",
        "description": "A person with type 1 diabetes, twinned by the UVA/Padova model: the live twin estimates the hidden state from the CGM, forecasts glucose with intervals and warns before a hypoglycaemia.",
        "contents": [
            prop("name", "string", "The patient's name or pseudonym.", True),
            prop("group", "string", "adult, adolescent or child.", True),
            prop("profile", "string", "The UVA/Padova parameter set that describes this person (a simglucose virtual patient, e.g. adolescent#001).", True),
            prop("bodyWeight", "double", "Body weight (kg).", True),
            prop("carbRatio", "double", "Grams of carbohydrate one unit of insulin covers (g/U).", True),
            prop("correctionFactor", "double", "Fall in blood glucose per unit of insulin (mg/dL per U).", True),
            prop("glucose", "double", "Estimated blood glucose now (mg/dL): the filter's mean after the last CGM reading."),
            prop("glucoseLower", "double", "Lower end of the 90% interval of the estimated blood glucose now (mg/dL)."),
            prop("glucoseUpper", "double", "Upper end of the 90% interval of the estimated blood glucose now (mg/dL)."),
            *forecast(30),
            *forecast(60),
            prop("hypoRisk", "double", "Probability (0 to 1) that blood glucose falls below 70 mg/dL within the next 30 minutes, from the forecast ensemble."),
            prop("insulinOnBoard", "double", "Estimated insulin still to act (U): subcutaneous and plasma insulin above the patient's steady state."),
            prop("estimatedAt", "dateTime", "The time of the CGM reading the estimate and forecasts start from."),
            prop("estimate", {
                "@type": "Object",
                "fields": [
                    {"name": "time", "schema": "dateTime"},
                    {"name": "mean", "schema": {"@type": "Array", "elementSchema": "double"}, "description": "The 13 UVA/Padova states' mean, in simglucose's units."},
                    {"name": "covariance", "schema": {"@type": "Array", "elementSchema": "double"}, "description": "Their covariance, row by row (169 values)."},
                    {"name": "planned", "schema": "double", "description": "Announced carbohydrate not eaten yet (g)."},
                    {"name": "eating", "schema": "double", "description": "Carbohydrate eaten this minute (g/min)."},
                    {"name": "inMeal", "schema": "boolean"},
                    {"name": "mealQsto", "schema": "double", "description": "Stomach content when the meal being digested started (mg)."},
                    {"name": "mealFood", "schema": "double", "description": "Carbohydrate of that meal taken so far (g)."},
                    {"name": "basal", "schema": "double", "description": "The basal rate in force (U/h)."},
                ],
            }, "The live twin's estimate of the hidden state after the last reading: what-ifs (scenario kind patient) fork from it."),
            {"@type": "Telemetry", "name": "carbs", "schema": "double", "description": "Carbohydrate eaten (g), announced when the meal starts."},
            {"@type": "Relationship", "name": "sensor", "target": SENSOR, "maxMultiplicity": 1, "description": "The continuous glucose monitor the patient wears."},
            {"@type": "Relationship", "name": "pump", "target": PUMP, "maxMultiplicity": 1, "description": "The insulin pump that doses the patient."},
        ],
    },
    {
        "@context": CTX, "@id": SENSOR, "@type": "Interface", "displayName": "CGM sensor",
        "description": "A continuous glucose monitor: interstitial glucose every few minutes, with the sensor's noise.",
        "contents": [
            prop("kind", "string", "The sensor model (Dexcom, GuardianRT, Navigator), which fixes its noise and sample time.", True),
            {"@type": "Telemetry", "name": "glucose", "schema": "double", "description": "A CGM reading (mg/dL, 39 to 600)."},
        ],
    },
    {
        "@context": CTX, "@id": PUMP, "@type": "Interface", "displayName": "Insulin pump",
        "description": "A subcutaneous insulin pump: basal rate and boluses, within its limits and increments.",
        "contents": [
            prop("kind", "string", "The pump model (Insulet, Cozmo), which fixes its limits and increments.", True),
            {"@type": "Telemetry", "name": "basal", "schema": "double", "description": "The basal rate from now on (U/h)."},
            {"@type": "Telemetry", "name": "bolus", "schema": "double", "description": "A bolus delivered now (U)."},
        ],
    },
]

PATIENTS = [
    ("patient-adult-1", "Adult one", "adult", "adult#001", 102.32, 10, 8.77310657487),
    ("patient-adolescent-1", "Adolescent one", "adolescent", "adolescent#001", 68.706, 12, 15.0360283441),
    ("patient-child-1", "Child one", "child", "child#001", 34.55648182, 25, 42.7177301243),
]


def main():
    try:
        existing = json.load(open("models.json"))
    except FileNotFoundError:
        existing = []
    # Models of other parts (drug regimen, measurement) follow the live models, untouched.
    others = [m for m in existing if m["@id"] not in (PATIENT, SENSOR, PUMP)]
    with open("models.json", "w") as f:
        json.dump(models + others, f, indent=2, ensure_ascii=False)
        f.write("\n")
    twins, relationships = [], []
    for dt_id, name, group, profile, weight, cr, cf in PATIENTS:
        suffix = dt_id.removeprefix("patient-")
        twins.append({"$dtId": dt_id, "$metadata": {"$model": PATIENT}, "name": name, "group": group, "profile": profile,
                      "bodyWeight": weight, "carbRatio": cr, "correctionFactor": cf})
        twins.append({"$dtId": f"cgm-{suffix}", "$metadata": {"$model": SENSOR}, "kind": "GuardianRT"})
        twins.append({"$dtId": f"pump-{suffix}", "$metadata": {"$model": PUMP}, "kind": "Insulet"})
        relationships.append({"$sourceId": dt_id, "$relationshipId": "sensor", "$targetId": f"cgm-{suffix}", "$relationshipName": "sensor"})
        relationships.append({"$sourceId": dt_id, "$relationshipId": "pump", "$targetId": f"pump-{suffix}", "$relationshipName": "pump"})
    with open("twins.ndjson", "w") as f:
        f.write('{"Section":"Twins"}\n')
        for t in twins:
            f.write(json.dumps(t, separators=(",", ":")) + "\n")
        f.write('{"Section":"Relationships"}\n')
        for r in relationships:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
