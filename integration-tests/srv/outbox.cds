// CAP's persistent outbox (cds.outbox.Messages), for delivery through the outbox (S3)
using from '@sap/cds/srv/outbox';
