# AWS deployment of dej_platform: the lake bucket, the Athena workgroup, and the role the Dagster code location
# (ECS task) runs as. Glue databases and tables are generated from the schemas in glue_tables.tf.json
# (`python infra/glue/gold_tables.py`).
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "lake_bucket" {
  type        = string
  description = "Bucket that holds the lake (DEJ_LAKE_URL = s3://<lake_bucket>/lake)."
}

variable "raw_retention_days" {
  type        = number
  default     = 365
  description = "Bronze snapshots move to Glacier after this many days (the silver tables keep the content)."
}

resource "aws_s3_bucket" "lake" {
  bucket = var.lake_bucket
}

resource "aws_s3_bucket_versioning" "lake" {
  bucket = aws_s3_bucket.lake.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "lake" {
  bucket = aws_s3_bucket.lake.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "lake" {
  bucket                  = aws_s3_bucket.lake.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "lake" {
  bucket = aws_s3_bucket.lake.id
  rule {
    id     = "bronze-to-glacier"
    status = "Enabled"
    filter {
      prefix = "lake/bronze/"
    }
    transition {
      days          = var.raw_retention_days
      storage_class = "GLACIER"
    }
  }
  rule {
    id     = "expire-old-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
  }
}

resource "aws_athena_workgroup" "dej" {
  name = "dej_platform"
  configuration {
    result_configuration {
      output_location = "s3://${aws_s3_bucket.lake.bucket}/athena-results/"
    }
  }
}

data "aws_iam_policy_document" "ecs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "code_location" {
  name               = "dej-platform-code-location"
  assume_role_policy = data.aws_iam_policy_document.ecs_assume.json
}

data "aws_iam_policy_document" "code_location" {
  statement {
    sid       = "Lake"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.lake.arn}/*"]
  }
  statement {
    sid       = "LakeList"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.lake.arn]
  }
  statement {
    sid       = "Bedrock"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = ["*"]
  }
  statement {
    sid       = "GlueJobs"
    actions   = ["glue:StartJobRun", "glue:GetJobRun", "glue:BatchStopJobRun", "glue:GetTable", "glue:GetPartitions"]
    resources = ["*"]
  }
  statement {
    sid       = "Secrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:${var.region}:*:secret:dej-platform/*"]
  }
}

resource "aws_iam_role_policy" "code_location" {
  role   = aws_iam_role.code_location.id
  policy = data.aws_iam_policy_document.code_location.json
}

output "lake_url" {
  value = "s3://${aws_s3_bucket.lake.bucket}/lake"
}
