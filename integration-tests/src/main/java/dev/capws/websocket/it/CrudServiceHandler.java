package dev.capws.websocket.it;

import org.springframework.stereotype.Component;

import com.sap.cds.ql.cqn.CqnAnalyzer;
import com.sap.cds.services.handler.EventHandler;
import com.sap.cds.services.handler.annotations.On;
import com.sap.cds.services.handler.annotations.ServiceName;

import cds.gen.crudservice.CrudService_;
import cds.gen.crudservice.NotesPinContext;
import cds.gen.crudservice.Notes_;

@Component
@ServiceName(CrudService_.CDS_NAME)
public class CrudServiceHandler implements EventHandler {

  @On(event = NotesPinContext.CDS_NAME, entity = Notes_.CDS_NAME)
  public void pin(NotesPinContext context) {
    Object id = CqnAnalyzer.create(context.getModel()).analyze(context.getCqn()).targetKeys().get("ID");
    context.setResult("pinned " + id + " as " + context.getLabel());
  }
}
