namespace com.test;

using { managed } from '@sap/cds/common';

entity Data : managed {
  key ID    : UUID;
      value : String(100);
      count : Integer;
}
