package dev.capws.websocket.internal.targeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.sap.cds.services.request.ModifiableUserInfo;
import com.sap.cds.services.request.UserInfo;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import dev.capws.websocket.api.Operator;
import dev.capws.websocket.internal.connection.Connection;
import dev.capws.websocket.internal.connection.Limits;
import dev.capws.websocket.internal.targeting.Targeting.Layer;

/**
 * Property-based: the rule recovery applies to one client ({@link Targeting#selects}) selects exactly the clients the
 * indexes select for live delivery ({@link ClientGroup#select}), and {@link ConnectionRegistry#isFor} exactly the
 * registry's recipients. This is what makes a client that catches up get what live delivery would have given it.
 * Every layer draws from the same small alphabet, so that a value of one layer is often a value of another.
 */
class TargetingSelectsPropertyTest {

  private static final List<String> ALPHABET = List.of("a", "b", "c", "d");

  /** A client as drawn: contexts entered before it was listed and after. */
  record Client(String user, Set<String> roles, Set<String> contextsBefore, Set<String> contextsAfter,
      String identifier, String tenant) {
  }

  @Provide
  Arbitrary<Targeting> targetings() {
    Arbitrary<Layer> layer = Combinators.combine(values(), values()).as(Layer::new);
    Arbitrary<Operator> operator = Arbitraries.of(Operator.class);
    return Combinators.combine(layer, layer, layer, layer, operator, operator).as(Targeting::new);
  }

  /** Mostly empty or small sets, so that layers without values are frequent. */
  private static Arbitrary<Set<String>> values() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Set.<String>of())),
        net.jqwik.api.Tuple.of(4, Arbitraries.of(ALPHABET).set().ofMinSize(1).ofMaxSize(3)));
  }

  @Provide
  Arbitrary<List<Client>> populations() {
    Arbitrary<String> user = Arbitraries.of(ALPHABET).injectNull(0.1);
    Arbitrary<Set<String>> roles = Arbitraries.of(ALPHABET).set().ofMaxSize(3);
    Arbitrary<Set<String>> contexts = Arbitraries.of(ALPHABET).set().ofMaxSize(3);
    Arbitrary<String> identifier = Arbitraries.of(ALPHABET).injectNull(0.3);
    Arbitrary<String> tenant = Arbitraries.of("t1", "t2").injectNull(0.2);
    return Combinators.combine(user, roles, contexts, contexts, identifier, tenant).as(Client::new).list()
        .ofMaxSize(10);
  }

  private static UserInfo user(Client client) {
    ModifiableUserInfo user = UserInfo.create().setName(client.user()).setTenant(client.tenant())
        .setIsAuthenticated(client.user() != null);
    client.roles().forEach(user::addRole);
    return user;
  }

  /** A connection that enters some contexts before it is listed and the others afterwards. */
  private static Connection connection(Client client) {
    Connection connection = new Connection(TestClients.TARGETED, user(client), client.identifier(),
        Limits.defaults());
    client.contextsBefore().forEach(connection::enter);
    return connection;
  }

  private static void enterAfter(Connection connection, Client client) {
    client.contextsAfter().forEach(connection::enter);
  }

  @Property(tries = 3000)
  @Label("B3: a client is in ClientGroup.select(t) exactly when t.selects(...) is true for it")
  void selectsAgreesWithSelect(@ForAll("targetings") Targeting targeting,
      @ForAll("populations") List<Client> population) {
    ClientGroup group = new ClientGroup();
    List<Connection> connections = new ArrayList<>();
    for (Client client : population) {
      Connection connection = connection(client);
      group.add(connection);
      for (String context : client.contextsAfter()) {
        if (connection.enter(context)) {
          group.enter(connection, context);
        }
      }
      connections.add(connection);
    }

    Collection<Connection> selected = group.select(targeting);
    Set<Connection> selectedSet = new HashSet<>();
    selected.forEach(selectedSet::add);
    assertThat(selected).hasSize(selectedSet.size());
    assertThat(connections).containsAll(selectedSet);
    for (Connection connection : connections) {
      boolean one = targeting.selects(connection.user().getName(), connection.user().getRoles(),
          connection.contexts(), connection.identifier());
      assertThat(selectedSet.contains(connection))
          .as("%s (user %s, roles %s, contexts %s, id %s) under %s", connection, connection.user().getName(),
              connection.user().getRoles(), connection.contexts(), connection.identifier(), targeting)
          .isEqualTo(one);
    }
  }

  @Property(tries = 1000)
  @Label("B3: ConnectionRegistry.isFor(envelope, c) exactly when c is among the registry's recipients (tenant, "
      + "service, except, targeting)")
  void isForAgreesWithRecipients(@ForAll("targetings") Targeting targeting,
      @ForAll("populations") List<Client> population, @ForAll("tenants") String tenant,
      @ForAll("services") String service, @ForAll int exceptPick) {
    ConnectionRegistry registry = new ConnectionRegistry(Limits.defaults());
    List<Connection> connections = new ArrayList<>();
    for (int i = 0; i < population.size(); i++) {
      Client client = population.get(i);
      Connection connection = i % 3 == 2
          ? new Connection(TestClients.STRICT, user(client), client.identifier(), Limits.defaults())
          : connection(client);
      if (i % 3 == 2) {
        client.contextsBefore().forEach(connection::enter);
      }
      assertThat(registry.add(connection)).isTrue();
      enterAfter(connection, client); // through the registry's listing
      connections.add(connection);
    }
    long except = connections.isEmpty() || exceptPick % 2 == 0 ? 0
        : connections.get(Math.floorMod(exceptPick, connections.size())).id();
    Envelope envelope = new Envelope(service, tenant, "e", "{}", targeting, except, false);

    Set<Connection> recipients = new HashSet<>();
    registry.recipients(envelope).forEach(recipients::add);
    for (Connection connection : connections) {
      assertThat(ConnectionRegistry.isFor(envelope, connection)).as("%s", connection)
          .isEqualTo(recipients.contains(connection));
    }
  }

  @Provide
  Arbitrary<String> tenants() {
    return Arbitraries.of("t1", "t2").injectNull(0.3);
  }

  @Provide
  Arbitrary<String> services() {
    return Arbitraries.of(TestClients.TARGETED.serviceName(), TestClients.STRICT.serviceName());
  }
}
