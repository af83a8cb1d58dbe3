namespace minimal;

using { cuid } from '@sap/cds/common';

entity Orders : cuid {
  product  : String(100);
  quantity : Integer;
}
