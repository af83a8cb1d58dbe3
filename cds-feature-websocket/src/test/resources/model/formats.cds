// Events and operations in the generic and cloudevent(s) formats, for the format tests.
// Compiled to formats.csn.json (beside this file) with: cds compile formats.cds --to csn
@ws service Formats {
  @ws.format: 'cloudevents'
  @ws.cloudevents.subject: 'orders'
  @ws.cloudevents.type: 'com.example.order.created'
  event orderCreated {
    @ws.cloudevents.id
    orderId: String;
    amount: Integer;
  }

  @ws.format: 'cloudevent'
  @ws.cloudevent.subject: 'invoices'
  event invoiceSent {
    @ws.cloudevent.id
    invoiceId: String;
    total: Integer;
  }

  @ws.format: 'cloudevent'
  event modelled {
    specversion: String;
    type: String;
    source: String;
    subject: String;
    id: String;
    time: String;
    datacontenttype: String;
    data: { text: String; };
  }

  @ws.format: 'generic'
  @ws.generic.kind: 'notice'
  event notice {
    @ws.generic.title
    headline: String;
    body: String;
  }

  @ws.generic.name: 'doIt'
  action act(
    @ws.generic.who
    user: String,
    count: Integer
  ) returns String;

  // a static attribute on the operation overrides the client's; an ignored parameter is never set by a client
  @ws.generic.name: 'stamp'
  @ws.generic.source: 'server'
  action stamped(
    @ws.generic.source
    origin: String,
    @ws.ignore
    secret: String,
    note: String
  ) returns String;

  // an event in the generic format with a static attribute only
  @ws.format: 'generic'
  @ws.generic.kind: 'ping'
  event pinged {
    at: String;
  }

  action submit(text: String, amount: Integer) returns String;
  action submitData(data: { text: String; }) returns String;
}
