using System.Collections;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Doppel.Ingest;
using Doppel.Security;
using Doppel.Server.Mqtt.Internal;
using Doppel.Server.Observability;
using Doppel.Server.Runtime;
using Doppel.Server.Security;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Doppel.Server.Mqtt;

/// <summary>
/// Who an MQTT client is and what it may do, like Mosquitto's password file and ACLs but from Doppel's keys and
/// policies: the password is an API key (the user name is free, e.g. the device's name) or a client certificate is
/// bound to one; a client publishes to a twin's convention topics only where its rules let it write that twin's
/// telemetry or properties (mapped topics are judged once the mapping names the twin), to other topics only as a
/// writer, and subscribes to what it may read.
/// </summary>
public sealed class MqttAccess(IOptions<DoppelServerOptions> options, ApiKeys keys, Policies policies, TwinRuntime runtime, DoppelMetrics metrics)
{
    private const string SubjectKey = "doppel.subject";

    // Who each client id belongs to: deliveries to a session are judged by its subject, and a persistent session is
    // not handed to another identity that connects with the same client id.
    private readonly ConcurrentDictionary<string, Subject> _owners = new(StringComparer.Ordinal);

    /// <summary>Checks a connection's credentials; refuses it (bad user name or password, not authorized) when they do not hold.</summary>
    public void Authenticate(ValidatingConnectionEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Subject? subject = null;
        if (e.Password is { Length: > 0 } password)
        {
            subject = keys.Verify(password);
            if (subject is null)
            {
                Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "The password is not a working API key.");
                return;
            }
        }
        else if (e.ClientCertificate is { } certificate && keys.VerifyCertificate(Convert.ToHexString(SHA256.HashData(certificate.RawData))) is { } bound)
        {
            subject = bound;
        }
        else if (options.Value.AnonymousAllowed)
        {
            subject = Subject.Anonymous;
        }
        else
        {
            Refuse(e, MqttConnectReasonCode.NotAuthorized, e.ClientCertificate is null
                ? "Credentials are required: an API key as the password, or a client certificate bound to a key."
                : "The client certificate is bound to no working API key (doppel auth keys create NAME --certificate FILE).");
            return;
        }
        var clientId = e.AssignedClientIdentifier ?? e.ClientId;
        if (!string.IsNullOrEmpty(clientId))
        {
            var owner = _owners.GetOrAdd(clientId, subject);
            if (owner.Id != subject.Id)
            {
                Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, $"The client id '{clientId}' belongs to another identity; choose another.");
                return;
            }
        }
        e.SessionItems[SubjectKey] = subject;
    }

    /// <summary>Forgets the owner of an assigned client id when its client leaves: those sessions are never resumed.</summary>
    public Task OnDisconnected(ClientDisconnectedEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.ClientId.StartsWith(ClientIdAssigningAdapter.Prefix, StringComparison.Ordinal))
        {
            _owners.TryRemove(e.ClientId, out _);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Deliveries: each message is judged against the receiving session's subject as it is now, so a subscription
    /// made before a key was revoked or a policy narrowed stops delivering at once.
    /// </summary>
    public Task OnEnqueuing(InterceptingClientApplicationMessageEnqueueEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_owners.TryGetValue(e.ReceiverClientId, out var subject))
        {
            return Task.CompletedTask;
        }
        var rules = Current(subject);
        if (MayRead(rules, e.ApplicationMessage.Topic))
        {
            return Task.CompletedTask;
        }
        metrics.Denied.Add(1, new KeyValuePair<string, object?>("resource", "mqtt"));
        e.AcceptEnqueue = false;
        return Task.CompletedTask;
    }

    /// <summary>The rules of a session's subject as they are now (a revoked key has no rights left).</summary>
    public AccessRules? RulesOf(IDictionary sessionItems)
    {
        ArgumentNullException.ThrowIfNull(sessionItems);
        return sessionItems[SubjectKey] is Subject subject ? Current(subject) : null;
    }

    private AccessRules Current(Subject subject)
    {
        if (!subject.Id.StartsWith("key:", StringComparison.Ordinal))
        {
            return policies.RulesFor(subject);
        }
        // A revoked key has no rights left, not even those its policies grant its subject.
        return keys.Current(subject.Id[4..]) is { } current ? policies.RulesFor(current) : AccessRules.Compile(subject with { Role = Role.None }, [], _ => new HashSet<string>());
    }

    /// <summary>Why the subject may not publish to the topic, or null when it may (payload-level checks follow in ingestion).</summary>
    public string? Refusal(AccessRules? rules, string topic)
    {
        if (rules is null || rules.Role >= Role.Writer && rules.AllowsEverywhere(Resource.Telemetry, Access.Write) && rules.AllowsEverywhere(Resource.Properties, Access.Write))
        {
            return null;
        }
        string? refusal = null;
        if (ConventionTopics.TryParse(topic, out var twinId, out _, out var kind))
        {
            var resource = kind == IngestKind.Properties ? Resource.Properties : Resource.Telemetry;
            // An unknown twin is dead-lettered by ingestion as usual; a known one is judged now, so that a refused
            // publish is not passed on to subscribers either.
            if (runtime.Graph.TryGetTwin(twinId, out var twin)
                && !(resource == Resource.Telemetry ? rules.Allows(Resource.Telemetry, Access.Write, new TwinView(twin)) : rules.Allows(Resource.Properties, Access.Write)))
            {
                refusal = $"{rules.Subject.Id} may not publish to {topic}.";
            }
        }
        else if (runtime.Mappings.Match(topic, new Dictionary<string, string>(StringComparer.Ordinal)) is null && rules.Role < Role.Writer)
        {
            refusal = $"{rules.Subject.Id} may publish only to its twins' topics; '{topic}' is none of them.";
        }
        if (refusal is not null)
        {
            metrics.Denied.Add(1, new KeyValuePair<string, object?>("resource", "mqtt"));
        }
        return refusal;
    }

    /// <summary>
    /// Subscriptions: every topic for subjects that may read all telemetry; otherwise only a twin's own convention
    /// topics (<c>doppel/twins/{id}/…</c>, no wildcard in the id) of twins whose telemetry they may read.
    /// </summary>
    public Task OnSubscribing(InterceptingSubscriptionEventArgs e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var rules = RulesOf(e.SessionItems);
        if (rules is null || rules.AllowsEverywhere(Resource.Telemetry, Access.Read) && rules.AllowsEverywhere(Resource.Twins, Access.Read))
        {
            return Task.CompletedTask;
        }
        var allowed = MayRead(rules, e.TopicFilter.Topic);
        if (!allowed)
        {
            metrics.Denied.Add(1, new KeyValuePair<string, object?>("resource", "mqtt"));
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// True when the subject may receive what is published on a topic (or topic filter): anything when it may read
    /// every twin and all telemetry; otherwise only a twin's own convention topics (no wildcard in the id) of twins whose
    /// telemetry it may read.
    /// </summary>
    private bool MayRead(AccessRules rules, string topic)
    {
        if (rules.AllowsEverywhere(Resource.Telemetry, Access.Read) && rules.AllowsEverywhere(Resource.Twins, Access.Read))
        {
            return true;
        }
        var parts = topic.Split('/');
        return parts.Length >= 4 && parts[0] == "doppel" && parts[1] == "twins" && parts[2] is not ("+" or "#")
            && runtime.Graph.TryGetTwin(parts[2], out var twin)
            && rules.Allows(Resource.Twins, Access.Read, new TwinView(twin)) && rules.Allows(Resource.Telemetry, Access.Read, new TwinView(twin));
    }

    private static void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string why)
    {
        e.ReasonCode = code;
        e.ReasonString = why;
    }
}
