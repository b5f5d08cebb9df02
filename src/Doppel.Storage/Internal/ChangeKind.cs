namespace Doppel.Storage.Internal;

internal enum ChangeKind : byte
{
    PutModel,
    DeleteModel,
    PutTwin,
    DeleteTwin,
    PutRelationship,
    DeleteRelationship,
    PutEventRoute,
    DeleteEventRoute,
    PutDocument,
    DeleteDocument,
    PutEndpoint,
    DeleteEndpoint,
}
