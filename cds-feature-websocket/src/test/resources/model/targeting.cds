// Events annotated for targeting (who receives an event), for the targeting, registry and broker tests.
// Compiled to targeting.csn.json (beside this file) with: cds compile targeting.cds --to csn
@ws service Targeted {
  // static values on the event
  @ws.user: 'alice'
  @ws.role.include: ['admin', 'auditor']
  @ws.context.exclude: 'archive'
  @ws.identifier.exclude: 'c-1'
  event staticTargets { text: String; }

  // the Node plugin's other spellings
  @websocket.context: 'lobby'
  @ws.broadcast.user.exclude: 'mallory'
  @websocket.broadcast.role: 'viewer'
  event otherSpellings { text: String; }

  // values taken from the event data
  event fromData {
    @ws.user
    owner: String;
    @ws.context
    rooms: many String;
    @ws.identifier.exclude
    sender: String;
    @ws.role.exclude
    hiddenRole: String;
    @ws.ignore
    @ws.user
    ignored: String;
    text: String;
  }

  // the emitting user
  @ws.user: 'includeCurrent'
  event toMe { text: String; }

  @ws.user: 'excludeCurrent'
  event notToMe { text: String; }

  @ws.currentUser
  event currentUserFlag { text: String; }

  event currentUserFromData {
    @ws.currentUser.exclude
    skipMe: Boolean;
    text: String;
  }

  // operators on the event
  @ws.operator.include: 'and'
  @ws.operator.exclude: 'and'
  event allMustMatch { text: String; }

  // no annotations: headers and defaults only
  event plain { text: String; }
}

// operators on the service, overridden by an event's
@ws
@ws.operator.include: 'and'
@websocket.operator.exclude: 'and'
service Strict {
  event strictEvent { text: String; }

  @ws.operator.include: 'or'
  event lenient { text: String; }
}
