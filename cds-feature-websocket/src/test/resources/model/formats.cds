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

  action submit(text: String, amount: Integer) returns String;
  action submitData(data: { text: String; }) returns String;
}
