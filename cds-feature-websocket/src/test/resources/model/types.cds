// Parameter and payload types for the binder and shaper tests.
// Compiled to types.csn.json (beside this file) with: cds compile types.cds --to csn
type Point { x: Integer; y: Integer; }
@ws service Types {
  action everything(
    s: String, b: Boolean, i: Integer, i16: Int16, u8: UInt8, i64: Int64, d: Decimal(10, 2), dbl: Double,
    date: Date, time: Time, dt: DateTime, ts: Timestamp, bin: Binary, id: UUID, ls: LargeString,
    p: Point, many: many Integer, points: many Point
  ) returns String;
  action required(name: String not null) returns String;
  action defaulted(n: Integer default 7) returns Integer;
  event shaped {
    keep: String;
    nested: { inner: Integer; also: String; };
    list: many { a: Integer; };
  }
}
