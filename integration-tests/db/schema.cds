namespace it;

entity Items {
  key ID   : Integer;
      name : String(100);
}

entity Notes {
  key ID    : Integer;
      title : String(100);
      body  : String(500);
      items : Composition of many NoteItems
                on items.note = $self;
}

entity NoteItems {
  key ID   : Integer;
      note : Association to Notes;
      text : String(100);
}

entity Tasks {
  key ID    : Integer;
      title : String(100);
      done  : Boolean;
}
