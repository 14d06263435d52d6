"""The media storage on object storage (django-storages' S3 backend).

Readers fetch pictures straight from the bucket or the CDN in front of it,
so what is stored there is public (`AWS_DEFAULT_ACL`) — except the raw
uploads waiting under `<folder>/incoming/` for the image task
(articles/images.py): they still carry the camera's EXIF and GPS data and
may not even be pictures. They are written private, as nginx refuses them
when media are on the local disk; the worker reads them with the storage's
keys and deletes them once processed.
"""

from storages.backends.s3 import S3Storage


def is_raw_upload(name):
    return "/incoming/" in f"/{name}"


class MediaStorage(S3Storage):
    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        if is_raw_upload(name):
            parameters["ACL"] = "private"
            parameters["CacheControl"] = "private, no-store"
        return parameters
