namespace it;

entity Items {
  key ID   : Integer;
      name : String(100);
}
