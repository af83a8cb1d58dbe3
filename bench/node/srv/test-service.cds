using { com.test as db } from '../db/schema';

service TestService {
  entity Data as projection on db.Data;
}
