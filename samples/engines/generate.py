import json
ctx = ["dtmi:dtdl:context;3", "dtmi:dtdl:extension:quantitativeTypes;1"]
T = "dtmi:doppel:foresight:Turbofan;1"
F = "dtmi:doppel:foresight:Fleet;1"
# name, C-MAPSS column, description, (semantic type, unit) or None
ch = [
 ("altitude","setting1","Operating setting 1: flight altitude, in C-MAPSS's normalised units (0 to 42 kft over FD002/FD004's six conditions).",None),
 ("mach","setting2","Operating setting 2: Mach number, in C-MAPSS's normalised units.",None),
 ("throttle","setting3","Operating setting 3: throttle resolver angle (TRA), in C-MAPSS's normalised units.",None),
 ("t2","s1","Total temperature at fan inlet, degrees Rankine (DTDL has no Rankine unit).",None),
 ("t24","s2","Total temperature at LPC outlet, degrees Rankine.",None),
 ("t30","s3","Total temperature at HPC outlet, degrees Rankine.",None),
 ("t50","s4","Total temperature at LPT outlet, degrees Rankine.",None),
 ("p2","s5","Pressure at fan inlet.",("Pressure","poundPerSquareInch")),
 ("p15","s6","Total pressure in bypass duct.",("Pressure","poundPerSquareInch")),
 ("p30","s7","Total pressure at HPC outlet.",("Pressure","poundPerSquareInch")),
 ("nf","s8","Physical fan speed.",("AngularVelocity","revolutionPerMinute")),
 ("nc","s9","Physical core speed.",("AngularVelocity","revolutionPerMinute")),
 ("epr","s10","Engine pressure ratio (P50/P2), no unit.",None),
 ("ps30","s11","Static pressure at HPC outlet.",("Pressure","poundPerSquareInch")),
 ("phi","s12","Ratio of fuel flow to Ps30, pounds per second per psi.",None),
 ("nrf","s13","Corrected fan speed.",("AngularVelocity","revolutionPerMinute")),
 ("nrc","s14","Corrected core speed.",("AngularVelocity","revolutionPerMinute")),
 ("bpr","s15","Bypass ratio, no unit.",None),
 ("farB","s16","Burner fuel-air ratio, no unit.",None),
 ("htBleed","s17","Bleed enthalpy, no unit given by C-MAPSS.",None),
 ("nfDmd","s18","Demanded fan speed.",("AngularVelocity","revolutionPerMinute")),
 ("pcnfrDmd","s19","Demanded corrected fan speed.",("AngularVelocity","revolutionPerMinute")),
 ("w31","s20","HPT coolant bleed, pounds mass per second (DTDL has no lbm/s unit).",None),
 ("w32","s21","LPT coolant bleed, pounds mass per second.",None),
]
contents = [{"@type":"Telemetry","name":"cycle","schema":"integer","description":"The operating cycle (flight) the message reports, from 1 since the engine entered service."}]
for name, col, desc, q in ch:
    t = {"@type":"Telemetry","name":name,"schema":"double","description":f"{desc} C-MAPSS column {col}."}
    if q:
        t["@type"] = ["Telemetry", q[0]]; t["unit"] = q[1]
    contents.append(t)
contents += [
 {"@type":"Property","name":"serial","schema":"string","writable":True,"description":"The engine's serial number (here the C-MAPSS subset and unit it replays)."},
 {"@type":"Property","name":"rul","schema":"double","description":"Predicted remaining useful life in cycles, written by the assigned predictor at each new cycle."},
 {"@type":"Property","name":"rulLower","schema":"double","description":"Lower end of the predictor's interval for the remaining useful life, in cycles."},
 {"@type":"Property","name":"rulUpper","schema":"double","description":"Upper end of the predictor's interval for the remaining useful life, in cycles."},
 {"@type":"Property","name":"rulPredictor","schema":"string","description":"The predictor and version that wrote rul (name@version)."},
]
turbofan = {"@context":ctx,"@id":T,"@type":"Interface","displayName":"Turbofan engine","description":"A two-spool turbofan as simulated by NASA's C-MAPSS: three operating settings and 21 sensors per operating cycle, and its predicted remaining useful life with an interval.","contents":contents}
fleet = {"@context":ctx,"@id":F,"@type":"Interface","displayName":"Engine fleet","description":"Engines maintained together by one crew: the scope of a maintenance plan.","contents":[
 {"@type":"Property","name":"name","schema":"string","writable":True},
 {"@type":"Property","name":"crewCapacity","schema":"integer","writable":True,"description":"Jobs (planned services and repairs) the crew does per period."},
 {"@type":"Property","name":"periodCycles","schema":"double","writable":True,"description":"Operating cycles in a planning period."},
 {"@type":"Property","name":"periods","schema":"integer","writable":True,"description":"Periods in the planning horizon."},
 {"@type":"Property","name":"coverage","schema":"double","writable":True,"description":"What the engines' predicted intervals cover (0.9 for 90% intervals)."},
 {"@type":"Property","name":"serviceCost","schema":"double","writable":True,"description":"Cost of a planned service (its downtime and the shop visit)."},
 {"@type":"Property","name":"failureCost","schema":"double","writable":True,"description":"Cost of an unplanned failure in service."},
 {"@type":"Property","name":"groundedCost","schema":"double","writable":True,"description":"Cost of each cycle a failed engine waits for the crew."},
 {"@type":"Property","name":"unusedLifeCost","schema":"double","writable":True,"description":"Cost of each cycle of life an early service throws away."},
 {"@type":"Relationship","name":"engines","target":T,"description":"The engines of the fleet."}]}
models = [turbofan, fleet]
json.dump(models, open("models.json","w"), indent=2); open("models.json","a").write("\n")
lines = [{"Section":"Header"},{"fileVersion":"1.0.0","author":"Doppel samples","organization":"Doppel"},{"Section":"Models"}] + models + [{"Section":"Twins"}]
lines.append({"$dtId":"fleet-1","$metadata":{"$model":F},"name":"C-MAPSS FD001 test fleet","crewCapacity":4,"periodCycles":10,"periods":8,"coverage":0.9,"serviceCost":10,"failureCost":100,"groundedCost":2,"unusedLifeCost":0.2})
for u in range(1,101):
    lines.append({"$dtId":f"engine-{u:03d}","$metadata":{"$model":T},"serial":f"FD001-test-{u:03d}"})
lines.append({"Section":"Relationships"})
for u in range(1,101):
    lines.append({"$sourceId":"fleet-1","$relationshipId":f"fleet-1-engine-{u:03d}","$targetId":f"engine-{u:03d}","$relationshipName":"engines"})
with open("engines.ndjson","w") as f:
    for l in lines: f.write(json.dumps(l, ensure_ascii=False, separators=(",",":"))+"\n")
