// Services with and without @ws.recovery, for the recovery tests.
// Compiled to recovery.csn.json (beside this file) with: cds compile recovery.cds --to csn
@ws
@ws.recovery
service Recovering {
  event tick { n: Integer; }
}

@ws
service Unmarked {
  event tick { n: Integer; }
}
