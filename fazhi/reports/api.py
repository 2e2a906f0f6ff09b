"""POST /api/reports/check/: the checker over the API (JSON text or a multipart file)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core import scope
from fazhi.reports.checker import UnreadableReport
from fazhi.reports.services import check_report, text_from_upload


class CheckRequestSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="报告全文"
    )
    file = serializers.FileField(required=False, help_text=".docx 或文本文件（UTF-8/GBK/GB18030）")
    township = serializers.IntegerField(
        required=False, help_text="与该乡镇的台账比对（须有查看权限）"
    )
    year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2100, help_text="报告年度"
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("text", "").strip() and not attrs.get("file"):
            raise serializers.ValidationError({"text": "请提供报告全文（text）或文件（file）。"})
        township_id = attrs.get("township")
        if township_id is not None:
            township = (
                scope.writable_townships(self.context["request"].user, "view")
                .filter(pk=township_id)
                .first()
            )
            if township is None:
                raise serializers.ValidationError({"township": "乡镇不存在或无权访问。"})
            attrs["township"] = township
        return attrs


class CheckReportView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request=CheckRequestSerializer,
        responses={
            200: OpenApiResponse(description="检查结果：提纲、数字、问题清单与摘要"),
            400: OpenApiResponse(description="输入有误"),
        },
        summary="检查法治政府建设年度报告",
    )
    def post(self, request: Request) -> Response:
        serializer = CheckRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if data.get("file"):
                upload = data["file"]
                text, source = text_from_upload(upload.name, upload.read()), upload.name
            else:
                text, source = data["text"], None
        except UnreadableReport as exc:
            return Response({"file": [str(exc)]}, status=400)
        result = check_report(
            text, township=data.get("township"), year=data.get("year"), source=source
        )
        return Response(result.to_dict())
